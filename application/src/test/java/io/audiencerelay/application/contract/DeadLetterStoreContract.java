package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.DeadLetterStore;
import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.DeadLetter;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every store of dead letters must do for an operator: find them by destination, segment and
 * reason, newest first or in pages, count them, and remove them. An implementation's test provides
 * a fresh, empty queue (dead letters are made through it) whose clock stands at {@link
 * DomainFixtures#T0}.
 */
public abstract class DeadLetterStoreContract {
  protected static final Instant NOW = DomainFixtures.T0;
  static final DestinationName ADS = new DestinationName("ads");
  static final DestinationName HOOK = new DestinationName("hook");

  /** A fresh, empty queue that keeps its dead letters. */
  protected abstract <Q extends DeliveryQueue & DeliveryBacklog & DeadLetterStore> Q store();

  /** Queues one change per segment at the destination, then dead-letters them with the error. */
  static <Q extends DeliveryQueue & DeliveryBacklog & DeadLetterStore> void die(
      Q store, DestinationName destination, String error, String... segments) {
    for (String segment : segments) {
      store.enqueue(
          destination,
          List.of(
              new MembershipChange(
                  ExternalSegment.of("6921", segment, null),
                  MembershipOperation.ADD,
                  List.of(new UserIdentifier.UserPoint("u-" + segment)),
                  NOW)));
    }
    var claimed = store.claim(destination, 100, NOW.plusSeconds(1), Duration.ofMinutes(1));
    store.deadLetter(
        claimed.stream().map(DeliveryBacklog.QueuedChange::id).toList(), error, NOW.plusSeconds(2));
  }

  static DeadLetterQuery query(DestinationName destination, String segment, String reason) {
    return new DeadLetterQuery(
        Optional.ofNullable(destination),
        Optional.ofNullable(segment),
        Optional.ofNullable(reason));
  }

  @Test
  void findsDeadLettersByDestinationSegmentAndReason() {
    var store = store();
    die(store, ADS, "rejected: invalid audience", "1", "2");
    die(store, HOOK, "gave up after retries: HTTP 503", "1");

    assertThat(store.count(DeadLetterQuery.all())).isEqualTo(3);
    assertThat(store.count(DeadLetterQuery.of(ADS))).isEqualTo(2);
    assertThat(store.count(query(null, "1", null))).isEqualTo(2);
    assertThat(store.count(query(null, null, "HTTP 503"))).isEqualTo(1);
    assertThat(store.count(query(ADS, "2", "invalid"))).isEqualTo(1);
    assertThat(store.count(query(HOOK, "2", null))).isZero();
    assertThat(store.newest(query(null, null, "503"), 10))
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.destination()).isEqualTo(HOOK);
              assertThat(letter.error()).isEqualTo("gave up after retries: HTTP 503");
              assertThat(letter.change().orElseThrow().identifiers())
                  .containsExactly(new UserIdentifier.UserPoint("u-1"));
            });
  }

  @Test
  void aReasonIsMatchedAsWrittenNotAsAPattern() {
    var store = store();
    die(store, ADS, "rejected: 100% refused_here", "1");
    die(store, ADS, "rejected: 1000 refusedXhere", "2");

    assertThat(store.count(query(null, null, "100%"))).isEqualTo(1);
    assertThat(store.count(query(null, null, "refused_here"))).isEqualTo(1);
  }

  @Test
  void pagesWalkTheDeadLettersInTheOrderTheyDied() {
    var store = store();
    die(store, ADS, "rejected", "1", "2", "3", "4", "5");

    List<DeadLetter> first = store.after(DeadLetterQuery.all(), 0, 2);
    List<DeadLetter> second = store.after(DeadLetterQuery.all(), first.getLast().id(), 2);
    List<DeadLetter> newest = store.newest(DeadLetterQuery.all(), 5);

    assertThat(first).hasSize(2);
    assertThat(second).hasSize(2);
    assertThat(second.getFirst().id()).isGreaterThan(first.getLast().id());
    assertThat(newest.getFirst().id()).isGreaterThan(newest.getLast().id());
  }

  @Test
  void removedDeadLettersAreGoneAndCounted() {
    var store = store();
    die(store, ADS, "rejected", "1", "2", "3");
    List<Long> ids = store.newest(DeadLetterQuery.all(), 2).stream().map(DeadLetter::id).toList();

    assertThat(store.remove(ids)).isEqualTo(2);
    assertThat(store.remove(ids)).isZero();
    assertThat(store.count(DeadLetterQuery.all())).isEqualTo(1);
  }
}

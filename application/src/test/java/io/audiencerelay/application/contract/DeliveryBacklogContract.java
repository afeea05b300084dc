package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.EarlierChange;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every durable queue must do, on both sides: accept, lease, retry, complete, dead-letter. An
 * implementation's test provides a fresh, empty queue whose clock stands at {@link
 * DomainFixtures#T0}.
 */
public abstract class DeliveryBacklogContract {
  protected static final DestinationName DEMO = DomainFixtures.DEMO;
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Instant NOW = DomainFixtures.T0;

  /** A fresh, empty queue limited to {@code maxDepth} items per destination. */
  protected abstract <Q extends DeliveryQueue & DeliveryBacklog> Q queue(long maxDepth);

  @Test
  void everyIdentifierKindSurvivesTheRoundTrip() {
    var queue = queue(100);
    var change =
        new MembershipChange(
            ExternalSegment.of("6921", "84213", null),
            MembershipOperation.REMOVE,
            List.of(
                new UserIdentifier.UserPoint("4b1f6c8e"),
                new UserIdentifier.UserAccount("crm-1", "1"),
                new UserIdentifier.UserAccount("crm-2", null),
                new UserIdentifier.UserEmail("5d41402a", "jane@example.com"),
                new UserIdentifier.UserEmail(null, "Ünïcode \"quoted\"@example.com"),
                new UserIdentifier.UserAgent("vec:886742516"),
                new UserIdentifier.UserDevicePoint("device-77"),
                new UserIdentifier.DeviceTechnicalId("MOBILE_ADVERTISING_ID", "mob:1", null),
                new UserIdentifier.ExternalUserId("MAPP_UUID", "6c1f2e9a-0b7d")),
            Instant.parse("2024-06-16T01:06:45.123Z"));

    assertThat(queue.enqueue(DEMO, List.of(change))).isEqualTo(new EnqueueOutcome.Accepted());

    List<QueuedChange> claimed = queue.claim(DEMO, 10, NOW, LEASE);
    assertThat(claimed)
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.change()).isEqualTo(change);
              assertThat(item.attempts()).isZero();
              assertThat(item.destination()).isEqualTo(DEMO);
            });
  }

  @Test
  void itemsAreLeasedOldestFirstAndOnlyOnceWhileTheLeaseRuns() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1"), DomainFixtures.add("h2")));
    // Another segment's: a store may leave out a segment whose changes are in flight.
    queue.enqueue(
        DEMO,
        List.of(
            new MembershipChange(
                ExternalSegment.of("6921", "90001", "1509"),
                MembershipOperation.REMOVE,
                List.of(DomainFixtures.email("h3")),
                NOW)));
    queue.enqueue(new DestinationName("other"), List.of(DomainFixtures.add("x")));

    assertThat(queue.due(DEMO, NOW, 100).count()).isEqualTo(3);
    assertThat(queue.due(DEMO, NOW, 2).count()).isEqualTo(2);
    List<QueuedChange> first = queue.claim(DEMO, 2, NOW, LEASE);
    List<QueuedChange> second = queue.claim(DEMO, 10, NOW, LEASE);
    List<QueuedChange> none = queue.claim(DEMO, 10, NOW.plusSeconds(29), LEASE);

    assertThat(first)
        .extracting(i -> i.change().identifiers().getFirst().value())
        .containsExactly("h1", "h2");
    assertThat(second)
        .extracting(i -> i.change().identifiers().getFirst().value())
        .containsExactly("h3");
    assertThat(none).isEmpty();
    assertThat(queue.due(DEMO, NOW, 100).count()).isZero();
  }

  @Test
  void anItemWhoseLeaseEndsUnfinishedIsDeliveredAgain() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    queue.claim(DEMO, 10, NOW, LEASE);

    // The worker holding the lease died; once the lease ends another worker takes the item.
    List<QueuedChange> again = queue.claim(DEMO, 10, NOW.plus(LEASE).plusMillis(1), LEASE);

    assertThat(again).hasSize(1);
  }

  @Test
  void completedItemsLeaveTheQueue() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1"), DomainFixtures.add("h2")));
    List<QueuedChange> claimed = queue.claim(DEMO, 10, NOW, LEASE);

    queue.complete(List.of(claimed.getFirst().id()));

    assertThat(queue.backlog(NOW))
        .singleElement()
        .satisfies(b -> assertThat(b.depth()).isEqualTo(1));
    queue.complete(List.of(claimed.get(1).id()));
    assertThat(queue.backlog(NOW)).isEmpty();
    assertThat(queue.claim(DEMO, 10, NOW.plus(LEASE).plusSeconds(1), LEASE)).isEmpty();
  }

  @Test
  void aRetriedItemWaitsCountsItsAttemptAndKeepsTheError() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    long id = queue.claim(DEMO, 10, NOW, LEASE).getFirst().id();

    queue.retry(List.of(id), NOW.plusSeconds(60), "partner answered 503");

    assertThat(queue.claim(DEMO, 10, NOW.plusSeconds(59), LEASE)).isEmpty();
    assertThat(queue.backlog(NOW).getFirst().lastError()).isEqualTo("partner answered 503");
    List<QueuedChange> later = queue.claim(DEMO, 10, NOW.plusSeconds(60), LEASE);
    assertThat(later).singleElement().satisfies(item -> assertThat(item.attempts()).isEqualTo(1));
  }

  @Test
  void aPostponedItemWaitsWithoutSpendingAnAttempt() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    long id = queue.claim(DEMO, 10, NOW, LEASE).getFirst().id();

    queue.postpone(List.of(id), NOW.plusSeconds(60), "waiting for a new login");

    assertThat(queue.claim(DEMO, 10, NOW.plusSeconds(59), LEASE)).isEmpty();
    assertThat(queue.backlog(NOW).getFirst().lastError()).isEqualTo("waiting for a new login");
    List<QueuedChange> later = queue.claim(DEMO, 10, NOW.plusSeconds(60), LEASE);
    assertThat(later).singleElement().satisfies(item -> assertThat(item.attempts()).isZero());
  }

  @Test
  void aDeadLetterLeavesTheQueueWithItsLastError() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    QueuedChange item = queue.claim(DEMO, 10, NOW, LEASE).getFirst();

    queue.deadLetter(List.of(item.id()), "rejected: invalid audience", NOW.plusSeconds(5));

    assertThat(queue.backlog(NOW)).isEmpty();
    assertThat(queue.deadLetters(DEMO, 10))
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.change()).contains(item.change());
              assertThat(letter.error()).isEqualTo("rejected: invalid audience");
              assertThat(letter.attempts()).isEqualTo(1);
              assertThat(letter.deadAt()).isEqualTo(NOW.plusSeconds(5));
            });
  }

  @Test
  void sequencesFollowTheOrderOfAcceptance() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1"), DomainFixtures.add("h2")));
    queue.enqueue(DEMO, List.of(DomainFixtures.remove("h3")));

    List<QueuedChange> claimed = queue.claim(DEMO, 10, NOW, LEASE);

    assertThat(claimed).hasSize(3);
    assertThat(claimed.get(0).sequence()).isLessThan(claimed.get(1).sequence());
    assertThat(claimed.get(1).sequence()).isLessThan(claimed.get(2).sequence());
  }

  @Test
  void anEarlierChangeOfTheSegmentIsFoundWhileItIsQueuedWhereverItWaits() {
    var queue = queue(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    queue.enqueue(DEMO, List.of(DomainFixtures.remove("h1")));
    queue.enqueue(
        DEMO,
        List.of(
            new MembershipChange(
                ExternalSegment.of("6921", "other-segment", null),
                MembershipOperation.ADD,
                List.of(DomainFixtures.email("h9")),
                NOW)));
    List<QueuedChange> claimed = queue.claim(DEMO, 10, NOW, LEASE);
    QueuedChange add = claimed.get(0);
    QueuedChange remove = claimed.get(1);
    QueuedChange other = claimed.get(2);
    ExternalSegment segment = DomainFixtures.SEGMENT;

    // In flight: leased to a worker.
    assertThat(queue.earlierChange(DEMO, segment, List.of(remove.sequence()), NOW))
        .hasValueSatisfying(earlier -> assertThat(earlier.inFlight()).isTrue());
    assertThat(queue.earlierChange(DEMO, segment, List.of(add.sequence()), NOW)).isEmpty();
    assertThat(queue.earlierChange(DEMO, other.change().segment(), List.of(other.sequence()), NOW))
        .isEmpty();
    // The datamart does not tell segments apart: the same feed and segment ids are one segment.
    assertThat(
            queue.earlierChange(
                DEMO, ExternalSegment.of("6921", "84213", null), List.of(remove.sequence()), NOW))
        .isPresent();

    // A batch's own changes are never earlier than itself.
    assertThat(queue.earlierChange(DEMO, segment, List.of(add.sequence(), remove.sequence()), NOW))
        .isEmpty();

    // Waiting for its retry.
    queue.retry(List.of(add.id()), NOW.plusSeconds(60), "partner answered 503");
    assertThat(queue.earlierChange(DEMO, segment, List.of(remove.sequence()), NOW))
        .contains(new EarlierChange(add.sequence(), NOW.plusSeconds(60), false));

    // Claimed again once due (its id may have changed with its store), then delivered: nothing
    // before the remove any more.
    QueuedChange retried =
        queue.claim(DEMO, 10, NOW.plusSeconds(60), LEASE).stream()
            .filter(item -> item.sequence() == add.sequence())
            .findFirst()
            .orElseThrow();
    assertThat(retried.change()).isEqualTo(add.change());
    queue.complete(List.of(retried.id()));
    assertThat(queue.earlierChange(DEMO, segment, List.of(remove.sequence()), NOW)).isEmpty();
  }

  @Test
  void aFullDestinationAsksThePlatformToRetryAndOthersStillAccept() {
    var queue = queue(2);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1"), DomainFixtures.add("h2")));

    assertThat(queue.enqueue(DEMO, List.of(DomainFixtures.add("h3"))))
        .isInstanceOf(EnqueueOutcome.Retry.class);
    assertThat(queue.enqueue(new DestinationName("other"), List.of(DomainFixtures.add("x"))))
        .isEqualTo(new EnqueueOutcome.Accepted());

    queue.complete(List.of(queue.claim(DEMO, 1, NOW, LEASE).getFirst().id()));
    assertThat(queue.enqueue(DEMO, List.of(DomainFixtures.add("h3"))))
        .isEqualTo(new EnqueueOutcome.Accepted());
  }

  @Test
  void concurrentEnqueuesAreAllStoredAndConcurrentClaimsNeverShareAnItem() throws Exception {
    var queue = queue(100_000);
    int writers = 16;
    int perWriter = 50;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<EnqueueOutcome>> outcomes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        for (int i = 0; i < perWriter; i++) {
          int n = i;
          outcomes.add(
              pool.submit(
                  () -> queue.enqueue(DEMO, List.of(DomainFixtures.add("u" + writer + "-" + n)))));
        }
      }
      for (Future<EnqueueOutcome> outcome : outcomes) {
        assertThat(outcome.get()).isEqualTo(new EnqueueOutcome.Accepted());
      }
      List<Future<List<QueuedChange>>> claims = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        claims.add(pool.submit(() -> queue.claim(DEMO, 150, NOW, LEASE)));
      }
      Set<Long> seen = new HashSet<>();
      int total = 0;
      for (Future<List<QueuedChange>> claim : claims) {
        for (QueuedChange item : claim.get()) {
          assertThat(seen.add(item.id())).as("item %s claimed twice", item.id()).isTrue();
          total++;
        }
      }
      assertThat(total).isEqualTo(writers * perWriter);
    }
  }
}

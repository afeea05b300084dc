package io.audiencerelay.application.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.InMemoryPauseStore;
import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryWorkerTest {
  final Relay relay = new Relay();
  final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(relay.clock, 1_000_000);
  final List<String> reported = new ArrayList<>();
  final List<String> problems = new ArrayList<>();
  final DestinationPauses pauses = new DestinationPauses(new InMemoryPauseStore(), relay.clock);
  volatile double random = 1.0;

  DeliveryWorker worker(DeliverySettings settings) {
    return new DeliveryWorker(
        relay.directory.byName(DomainFixtures.DEMO).orElseThrow(),
        queue,
        new AudienceDeliveryService(
            relay.directory, relay.mappings, relay.grants, relay.feedSettings),
        new DeliveryMetrics() {
          @Override
          public void delivery(DestinationName destination, String outcome, int items) {
            reported.add(outcome + ":" + items);
          }

          @Override
          public void deliveryLatency(DestinationName destination, Duration waited) {}

          @Override
          public void deadLettered(DestinationName destination, int items) {
            reported.add("dead:" + items);
          }

          @Override
          public void problem(
              DestinationName destination, String error, Instant waitUntil, boolean needsLogin) {
            problems.add(error + " until " + waitUntil + (needsLogin ? " (login)" : ""));
          }
        },
        relay.clock,
        relay.clock::advance,
        () -> random,
        settings,
        pauses);
  }

  /** No linger, no rate limit, one call at a time, and three attempts before a dead letter. */
  static DeliverySettings threeAttemptsNoLinger() {
    return noLinger(3, 0, 0);
  }

  /**
   * No linger, 20 attempts, one call at a time, with a rate limit (0: none) and a batch cap (0:
   * none).
   */
  static DeliverySettings noLinger(double ratePerSecond, int maxBatchSize) {
    return noLinger(20, ratePerSecond, maxBatchSize);
  }

  private static DeliverySettings noLinger(
      int maxAttempts, double ratePerSecond, int maxBatchSize) {
    return new DeliverySettings(
        Duration.ZERO,
        Duration.ofMinutes(1),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        maxAttempts,
        Duration.ofHours(24),
        ratePerSecond,
        1,
        maxBatchSize);
  }

  DeliveryWorker worker() {
    return worker(DeliverySettings.DEFAULTS);
  }

  void enqueue(MembershipChange... changes) {
    queue.enqueue(DomainFixtures.DEMO, List.of(changes));
  }

  Instant now() {
    return relay.clock.instant();
  }

  @Test
  void aPartialBatchWaitsForTheLingerTimeThenGoes() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));

    assertThat(worker.runOnce()).isEqualTo(now().plus(DeliveryWorker.LINGER_RECHECK));
    relay.clock.advance(Duration.ofMillis(990));
    assertThat(worker.runOnce()).isEqualTo(now().plusMillis(10));
    assertThat(relay.partner.delivered).isEmpty();

    relay.clock.advance(Duration.ofMillis(10));
    worker.runOnce();

    assertThat(relay.partner.delivered).hasSize(1);
    assertThat(queue.queued()).isEmpty();
  }

  @Test
  void aLingeringBatchGoesAsSoonAsItFills() {
    relay.partner.maxBatchSize = 3;
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));
    worker.runOnce();
    enqueue(DomainFixtures.add("h2"));
    enqueue(DomainFixtures.add("h3"));

    relay.clock.advance(DeliveryWorker.LINGER_RECHECK);
    worker.runOnce();

    assertThat(relay.partner.delivered).extracting(MembershipBatch::size).containsExactly(3);
  }

  @Test
  void aFullBatchGoesAtOnceAndBatchesNeverExceedThePartnersLimit() {
    relay.partner.maxBatchSize = 3;
    var worker = worker();
    for (int i = 0; i < 7; i++) {
      enqueue(DomainFixtures.add("h" + i));
    }

    worker.runOnce();

    assertThat(relay.partner.delivered).extracting(MembershipBatch::size).containsExactly(3, 3, 1);
    assertThat(queue.queued()).isEmpty();
  }

  @Test
  void aClaimGivesEachSegmentAFullBatchWhenSegmentsInterleave() {
    relay.partner.maxBatchSize = 3;
    var worker = worker();
    ExternalSegment other = ExternalSegment.of("6921", "99999", "1509");
    for (int i = 0; i < 3; i++) {
      enqueue(DomainFixtures.add("a" + i));
      enqueue(
          new MembershipChange(
              other,
              MembershipOperation.ADD,
              DomainFixtures.add("b" + i).identifiers(),
              DomainFixtures.T0));
    }

    worker.runOnce();

    assertThat(relay.partner.delivered)
        .extracting(MembershipBatch::segment)
        .containsExactly(DomainFixtures.SEGMENT, other);
    assertThat(relay.partner.delivered).extracting(MembershipBatch::size).containsExactly(3, 3);
  }

  @Test
  void whatAPausedDestinationCannotSendIsHandedBackForThePause() {
    relay.partner.maxBatchSize = 1;
    var worker = worker(threeAttemptsNoLinger());
    enqueue(DomainFixtures.add("h1"), DomainFixtures.add("h2"), DomainFixtures.add("h3"));
    relay.partner.deliveryAnswers.add(
        new DeliveryOutcome.Retry(Duration.ofSeconds(30), "429 Retry-After: 30"));
    Instant throttledAt = now();

    worker.runOnce();

    assertThat(relay.partner.delivered).hasSize(1);
    assertThat(queue.queued())
        .hasSize(3)
        .allSatisfy(item -> assertThat(queue.nextAttemptOf(item.id())).isAfter(throttledAt))
        .allSatisfy(item -> assertThat(queue.leasedUntilOf(item.id())).isNull());
  }

  @Test
  void whatTheLeaseMightNotCoverIsHandedBackInsteadOfDeliveredTwice() {
    relay.partner.maxBatchSize = 1;
    var worker = worker(threeAttemptsNoLinger());
    enqueue(DomainFixtures.add("h1"), DomainFixtures.add("h2"), DomainFixtures.add("h3"));
    // The first call takes more than half the lease.
    relay.partner.whileDelivering =
        () -> relay.clock.advance(threeAttemptsNoLinger().lease().dividedBy(2).plusSeconds(1));

    worker.runOnce();

    assertThat(relay.partner.delivered).hasSize(1);
    assertThat(queue.queued())
        .hasSize(2)
        .allSatisfy(item -> assertThat(queue.nextAttemptOf(item.id())).isEqualTo(now()))
        .allSatisfy(item -> assertThat(queue.leasedUntilOf(item.id())).isNull());
  }

  @Test
  void aDestinationMayCapBatchesBelowThePartnersLimit() {
    var worker = worker(noLinger(0, 2));
    for (int i = 0; i < 5; i++) {
      enqueue(DomainFixtures.add("h" + i));
    }

    worker.runOnce();
    worker.runOnce();
    worker.runOnce();

    assertThat(relay.partner.delivered).extracting(MembershipBatch::size).containsExactly(2, 2, 1);
  }

  @Test
  void withinABatchTheLastChangePerUserWins() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"), DomainFixtures.add("h2"), DomainFixtures.remove("h1"));
    relay.clock.advance(Duration.ofSeconds(1));

    worker.runOnce();

    assertThat(relay.partner.delivered.getFirst().changes())
        .containsExactly(DomainFixtures.add("h2"), DomainFixtures.remove("h1"));
    assertThat(queue.queued()).isEmpty();
  }

  @Test
  void aUserIsTheSetOfItsIdentifiersInAnyOrder() {
    var worker = worker();
    enqueue(
        DomainFixtures.add("h1", "h2"),
        DomainFixtures.add("h3", "h3"),
        DomainFixtures.add("h1"),
        DomainFixtures.remove("h2", "h1"),
        DomainFixtures.remove("h3"));
    relay.clock.advance(Duration.ofSeconds(1));

    worker.runOnce();

    assertThat(relay.partner.delivered.getFirst().changes())
        .containsExactly(
            DomainFixtures.add("h1"),
            DomainFixtures.remove("h2", "h1"),
            DomainFixtures.remove("h3"));
    assertThat(queue.queued()).isEmpty();
  }

  @Test
  void failuresBackOffExponentiallyWithFullJitter() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.deliveryAnswers.add(new DeliveryOutcome.Retry(Duration.ZERO, "503"));
    relay.partner.deliveryAnswers.add(new DeliveryOutcome.Retry(Duration.ZERO, "503"));
    long id = queue.queued().getFirst().id();

    random = 1.0; // the top of the jitter range: exactly the ceiling
    worker.runOnce();
    assertThat(queue.nextAttemptOf(id)).isEqualTo(now().plusSeconds(1));

    relay.clock.advance(Duration.ofSeconds(1));
    random = 0.5;
    worker.runOnce();
    assertThat(queue.nextAttemptOf(id)).isEqualTo(now().plusSeconds(1)); // half of 2 s
    assertThat(queue.queued().getFirst().attempts()).isEqualTo(2);

    assertThat(worker.backoff(30))
        .isEqualTo(Duration.ofMillis(150_000)); // capped at 5 min, times 0.5
  }

  @Test
  void thePartnersRequestedDelayHoldsTheWholeDestination() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.deliveryAnswers.add(
        new DeliveryOutcome.Retry(Duration.ofSeconds(30), "429 Retry-After: 30"));
    long id = queue.queued().getFirst().id();
    Instant throttledAt = now();

    worker.runOnce();
    enqueue(DomainFixtures.add("h2"));
    relay.clock.advance(Duration.ofSeconds(5));

    assertThat(queue.nextAttemptOf(id)).isEqualTo(throttledAt.plusSeconds(30));
    assertThat(worker.runOnce()).isEqualTo(throttledAt.plusSeconds(30));
    assertThat(relay.partner.delivered).hasSize(1);

    relay.clock.advance(Duration.ofSeconds(25));
    worker.runOnce();
    assertThat(relay.partner.delivered).hasSize(2);
    assertThat(queue.queued()).isEmpty();
  }

  @Test
  void theRateLimitHoldsPartnerCallsAudienceCreationIncluded() {
    relay.partner.maxBatchSize = 1;
    var worker = worker(noLinger(2, 0));
    for (int i = 0; i < 5; i++) {
      enqueue(DomainFixtures.add("h" + i));
    }

    worker.runOnce(); // the audience's creation, then half a second later the first change
    Instant next = worker.runOnce();

    assertThat(relay.partner.created).hasSize(1);
    assertThat(relay.partner.delivered).hasSize(1);
    assertThat(next).isEqualTo(now().plusMillis(500));
    relay.clock.advance(Duration.ofMillis(500));
    worker.runOnce();
    assertThat(relay.partner.delivered).hasSize(2);
  }

  @Test
  void aRateLimitCountsEveryPartnerCallWhateverTheSegments() {
    // Ten segments queued at once, at two calls a second: ten creations and ten deliveries.
    List<Instant> calls = new ArrayList<>();
    relay.partner.whileDelivering = () -> calls.add(now());
    relay.partner.whileCreating = () -> calls.add(now());
    var worker = worker(noLinger(2, 0));
    for (int i = 0; i < 10; i++) {
      queue.enqueue(
          DomainFixtures.DEMO,
          List.of(
              new MembershipChange(
                  ExternalSegment.of("6921", "s" + i, null),
                  MembershipOperation.ADD,
                  List.of(DomainFixtures.email("h" + i)),
                  now())));
    }
    Instant started = now();

    Instant deadline = now().plus(Duration.ofMinutes(1));
    while (!queue.queued().isEmpty() && now().isBefore(deadline)) {
      Instant next = worker.runOnce();
      if (next.isAfter(now())) {
        relay.clock.advance(Duration.between(now(), next));
      }
    }

    assertThat(queue.queued()).isEmpty();
    assertThat(relay.partner.created).hasSize(10);
    assertThat(calls).hasSize(20);
    // Spaced evenly, half a second apart: the twentieth call 9.5 s after the first.
    assertThat(Duration.between(started, calls.getLast())).isEqualTo(Duration.ofMillis(9_500));
    for (Instant call : calls) {
      long inTheSecondFrom =
          calls.stream().filter(c -> !c.isBefore(call) && c.isBefore(call.plusSeconds(1))).count();
      assertThat(inTheSecondFrom).as("calls in the second from " + call).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void withoutATokenTheWorkerDoesNotAskTheQueue() {
    var worker = worker(noLinger(0.5, 0));
    enqueue(DomainFixtures.add("h1"));
    worker.runOnce();
    enqueue(DomainFixtures.add("h2"));
    int queriesAfterTheFirstCall = queue.dueQueries();

    // Woken again and again (as by each ingest) before the next token: no query, same answer.
    relay.clock.advance(Duration.ofMillis(500));
    Instant next = worker.runOnce();
    worker.runOnce();

    assertThat(queue.dueQueries()).isEqualTo(queriesAfterTheFirstCall);
    assertThat(next).isEqualTo(now().plusMillis(1500));
    assertThat(relay.partner.delivered).hasSize(1);
    relay.clock.advance(Duration.ofMillis(1500));
    worker.runOnce();
    assertThat(relay.partner.delivered).hasSize(2);
  }

  @Test
  void aChangeGoesToTheDeadLettersAfterTheLastAttempt() {
    var worker = worker(threeAttemptsNoLinger());
    enqueue(DomainFixtures.add("h1"));
    for (int i = 0; i < 3; i++) {
      relay.partner.deliveryAnswers.add(new DeliveryOutcome.Retry(Duration.ZERO, "partner down"));
      worker.runOnce();
      relay.clock.advance(Duration.ofMinutes(10));
    }

    assertThat(queue.queued()).isEmpty();
    assertThat(queue.dead)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.error()).isEqualTo("gave up after retries: partner down");
              assertThat(letter.attempts()).isEqualTo(3);
            });
    assertThat(reported).containsExactly("retry:1", "retry:1", "retry:1", "dead:1");
  }

  @Test
  void changesAwaitingANewLoginWaitInTheQueueWithoutSpendingAttempts() {
    var worker = worker(threeAttemptsNoLinger());
    enqueue(DomainFixtures.add("h1"));
    for (int i = 0; i < 5; i++) {
      relay.partner.deliveryAnswers.add(
          new DeliveryOutcome.AwaitingAuthentication("invalid_grant: revoked"));
      worker.runOnce();
      assertThat(worker.runOnce()).isEqualTo(now().plus(DeliveryWorker.AUTHENTICATION_RECHECK));
      relay.clock.advance(DeliveryWorker.AUTHENTICATION_RECHECK);
    }

    assertThat(queue.dead).isEmpty();
    assertThat(queue.queued())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.attempts()).isZero();
            });
    assertThat(queue.backlog(now()).getFirst().lastError())
        .isEqualTo("awaiting authentication: invalid_grant: revoked");

    worker.runOnce();
    assertThat(queue.queued()).isEmpty();
    assertThat(relay.partner.delivered).hasSize(6);
    assertThat(reported)
        .containsExactly(
            "awaiting_authentication:1",
            "awaiting_authentication:1",
            "awaiting_authentication:1",
            "awaiting_authentication:1",
            "awaiting_authentication:1",
            "ok:1");
  }

  @Test
  void aRejectedChangeIsDeadLetteredAtOnce() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.deliveryAnswers.add(new DeliveryOutcome.Rejected("invalid audience"));

    worker.runOnce();

    assertThat(queue.dead)
        .singleElement()
        .satisfies(l -> assertThat(l.error()).isEqualTo("rejected: invalid audience"));
  }

  @Test
  void changesRefusedOneByOneAreDeadLetteredAndTheRestDelivered() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"), DomainFixtures.add("h2"), DomainFixtures.add("h3"));
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.deliveryAnswers.add(new DeliveryOutcome.PartlyRejected(List.of(1), "bad h2"));

    worker.runOnce();

    assertThat(queue.queued()).isEmpty();
    assertThat(queue.dead)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.change()).contains(DomainFixtures.add("h2"));
              assertThat(letter.error()).isEqualTo("rejected: bad h2");
            });
    assertThat(reported).containsExactly("ok:2", "rejected:1", "dead:1");
  }

  /** The hashes of a batch's changes. */
  static List<String> hashes(MembershipBatch batch) {
    return batch.changes().stream().map(c -> c.identifiers().getFirst().value()).toList();
  }

  void enqueueUsers(int count) {
    List<MembershipChange> changes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      changes.add(DomainFixtures.add("h" + i));
    }
    queue.enqueue(DomainFixtures.DEMO, changes);
  }

  @Test
  void aBatchRefusedWholeIsSplitSoOnlyTheBadChangeIsDeadLettered() {
    var worker = worker();
    enqueueUsers(10);
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.answering =
        batch ->
            hashes(batch).contains("h7")
                ? new DeliveryOutcome.Rejected("h7 is not an email hash")
                : DeliveryOutcome.ok();

    worker.runOnce();

    assertThat(queue.queued()).isEmpty();
    assertThat(queue.dead)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.change()).contains(DomainFixtures.add("h7"));
              assertThat(letter.error()).isEqualTo("rejected: h7 is not an email hash");
            });
    List<String> accepted =
        relay.partner.delivered.stream()
            .filter(batch -> !hashes(batch).contains("h7"))
            .flatMap(batch -> hashes(batch).stream())
            .toList();
    assertThat(accepted)
        .containsExactlyInAnyOrder("h0", "h1", "h2", "h3", "h4", "h5", "h6", "h8", "h9");
    // h0..h9 refused; h0..h4 taken, h5..h9 refused; h5 h6 taken, h7..h9 refused; h7 refused, h8 h9
    // taken: one call, then two per level.
    assertThat(relay.partner.delivered).hasSize(7);
  }

  @Test
  void aRefusalOfEverythingCostsABoundedNumberOfCalls() {
    relay.partner.maxBatchSize = 1_000;
    var worker = worker();
    enqueueUsers(1_000);
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.answering = batch -> new DeliveryOutcome.Rejected("the audience was deleted");

    worker.runOnce();

    assertThat(relay.partner.delivered).hasSize(1 + AudienceDeliveryService.SPLIT_CALLS);
    assertThat(queue.queued()).isEmpty();
    assertThat(queue.dead).hasSize(1_000);
    assertThat(queue.dead)
        .anySatisfy(
            letter ->
                assertThat(letter.error())
                    .startsWith("rejected: the audience was deleted (refused with ")
                    .endsWith("the delivery's 32 split calls were spent)"));
  }

  @Test
  void aPartOfASplitThatThePartnerAsksToRetryIsRetriedAndTheRestSettled() {
    var worker = worker(threeAttemptsNoLinger());
    enqueueUsers(4);
    relay.partner.answering =
        batch -> {
          List<String> hashes = hashes(batch);
          if (hashes.equals(List.of("h3"))) {
            return new DeliveryOutcome.Retry(Duration.ZERO, "timeout");
          }
          return hashes.contains("h3") || hashes.contains("h0")
              ? new DeliveryOutcome.Rejected("refused")
              : DeliveryOutcome.ok();
        };

    worker.runOnce();

    assertThat(queue.dead)
        .singleElement()
        .satisfies(letter -> assertThat(letter.change()).contains(DomainFixtures.add("h0")));
    assertThat(queue.queued())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.change()).isEqualTo(DomainFixtures.add("h3"));
              assertThat(item.attempts()).isEqualTo(1);
            });
  }

  @Test
  void aPartnerThatDefersStopsTheDeliverysOtherCallsWithoutSpendingAttempts() {
    var worker = worker(threeAttemptsNoLinger());
    relay.partner.maxBatchSize = 2;
    enqueueUsers(5);
    relay.partner.deliveryAnswers.add(
        new DeliveryOutcome.Deferred(Duration.ofSeconds(30), "the member's minute is spent"));

    worker.runOnce();

    assertThat(relay.partner.delivered).as("one call, then nothing more").hasSize(1);
    assertThat(queue.dead).isEmpty();
    assertThat(queue.queued()).hasSize(5).allSatisfy(item -> assertThat(item.attempts()).isZero());
  }

  @Test
  void aConnectorThatThrowsIsRetriedNotLost() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.throwOnDeliver = new IllegalStateException("bug in the connector");

    worker.runOnce();

    assertThat(queue.queued())
        .singleElement()
        .satisfies(item -> assertThat(item.attempts()).isEqualTo(1));
    assertThat(queue.backlog(now()).getFirst().lastError())
        .isEqualTo("unexpected IllegalStateException: bug in the connector");
  }

  @Test
  void aPausedDestinationDeliversNothingAndKeepsItsChangesUntilResumed() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));
    relay.clock.advance(Duration.ofSeconds(1));
    pauses.pause(DomainFixtures.DEMO, "admin@loopback");

    worker.runOnce();

    assertThat(relay.partner.delivered).isEmpty();
    assertThat(queue.queued()).hasSize(1);

    pauses.resume(DomainFixtures.DEMO);
    worker.runOnce();

    assertThat(relay.partner.delivered).hasSize(1);
    assertThat(queue.queued()).isEmpty();
  }

  @Test
  void aFailedDeliveryIsReportedWithHowLongTheDestinationWaits() {
    var worker = worker();
    enqueue(DomainFixtures.add("h1"));
    relay.clock.advance(Duration.ofSeconds(1));
    relay.partner.deliveryAnswers.add(
        new DeliveryOutcome.Retry(Duration.ofSeconds(30), "partner throttled"));

    worker.runOnce();

    assertThat(problems).containsExactly("partner throttled until " + now().plusSeconds(30));
  }
}

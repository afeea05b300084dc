package io.audiencerelay.application.service.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.AdminFixture;
import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.in.admin.AdminActionResult;
import io.audiencerelay.application.port.in.admin.DestinationStatus;
import io.audiencerelay.application.port.in.admin.DestinationStatus.State;
import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.PartnerTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminServicesTest {
  static final DestinationName ADS = new DestinationName("ads");
  static final DestinationName HOOK = new DestinationName("hook");

  final AdminFixture admin = new AdminFixture(10);
  final Relay relay = admin.relay;
  final InMemoryDeliveryQueue queue = admin.queue;
  final DeliveryActivity activity = admin.activity;
  final DeadLetterService deadLetters = admin.deadLetters;
  final DestinationHealthService health = admin.health;

  void die(DestinationName destination, String error, int count) {
    admin.die(destination, error, count);
  }

  @Test
  void requeuedDeadLettersAreQueuedAgainAndLeaveTheDeadLetterTable() {
    die(ADS, "rejected: invalid audience", 2);
    die(HOOK, "gave up after retries: HTTP 503", 1);

    var result = deadLetters.requeue(DeadLetterQuery.of(ADS), "alice");

    assertThat(result).isEqualTo(new AdminActionResult.Done(2, "2 dead letter(s) requeued"));
    assertThat(queue.queued()).hasSize(2).allMatch(item -> item.destination().equals(ADS));
    assertThat(queue.count(DeadLetterQuery.all())).isEqualTo(1);
  }

  @Test
  void aFullQueueStopsARequeueAndSaysWhatIsLeft() {
    die(ADS, "rejected", 10);
    for (int i = 0; i < 10; i++) {
      queue.enqueue(ADS, List.of(DomainFixtures.add("fill" + i)));
    }

    var result = deadLetters.requeue(DeadLetterQuery.all(), "alice");

    assertThat(result).isInstanceOf(AdminActionResult.Partly.class);
    assertThat(((AdminActionResult.Partly) result).left()).isEqualTo(10);
    assertThat(((AdminActionResult.Partly) result).message())
        .contains("the queue of 'ads' took no more");
  }

  @Test
  void discardRemovesWhatMatchesAndCountsIt() {
    die(ADS, "rejected: invalid audience", 3);
    die(HOOK, "gave up after retries: HTTP 503", 2);

    var result =
        deadLetters.discard(
            new DeadLetterQuery(Optional.empty(), Optional.empty(), Optional.of("HTTP 503")),
            "bob");

    assertThat(result).isEqualTo(new AdminActionResult.Done(2, "2 dead letter(s) discarded"));
    assertThat(queue.count(DeadLetterQuery.all())).isEqualTo(3);
    assertThat(deadLetters.deadLetters(DeadLetterQuery.all(), 2).total()).isEqualTo(3);
    assertThat(deadLetters.deadLetters(DeadLetterQuery.all(), 2).letters()).hasSize(2);
  }

  @Test
  void anUnknownDestinationIsSaidAndNothingIsTouched() {
    die(ADS, "rejected", 1);

    var result = deadLetters.discard(DeadLetterQuery.of(new DestinationName("gone")), "bob");

    assertThat(result)
        .isEqualTo(
            new AdminActionResult.UnknownDestination(
                "No destination 'gone' is configured (configured: ads, hook)"));
    assertThat(queue.count(DeadLetterQuery.all())).isEqualTo(1);
    assertThat(admin.pauseService.pause("gone", "bob"))
        .isInstanceOf(AdminActionResult.UnknownDestination.class);
  }

  @Test
  void aPausedDestinationShowsPausedByWhomAndResumes() {
    var service = admin.pauseService;

    service.pause("ads", "alice");

    var ads = status(ADS);
    assertThat(ads.state()).isEqualTo(State.PAUSED);
    assertThat(ads.pausedBy()).isEqualTo("alice");
    assertThat(service.resume("ads", "alice"))
        .isEqualTo(new AdminActionResult.Done(1, "Destination 'ads' resumed"));
    assertThat(status(ADS).state()).isEqualTo(State.IDLE);
  }

  @Test
  void aDestinationWhoseCallsFailIsBackingOffAndStuckUntilADeliverySucceeds() {
    queue.enqueue(HOOK, List.of(DomainFixtures.add("a")));
    Instant until = relay.clock.instant().plusSeconds(30);
    activity.problem(HOOK, "HTTP 503 from the partner", until, false);

    var hook = status(HOOK);

    assertThat(hook.state()).isEqualTo(State.BACKING_OFF);
    assertThat(hook.stuck()).isTrue();
    assertThat(hook.waitingUntil()).isEqualTo(until);
    assertThat(hook.lastError()).isEqualTo("HTTP 503 from the partner");
    assertThat(hook.queueDepth()).isEqualTo(1);
    assertThat(status(ADS).stuck()).isFalse();

    activity.delivery(HOOK, "ok", 1);
    assertThat(status(HOOK).state()).isEqualTo(State.DELIVERING);
    assertThat(status(HOOK).stuck()).isFalse();
  }

  @Test
  void aLoginProblemIsAwaitingAuthentication() {
    queue.enqueue(ADS, List.of(DomainFixtures.add("a")));
    activity.problem(
        ADS, "awaiting authentication: revoked", relay.clock.instant().plusSeconds(60), true);

    assertThat(status(ADS).state()).isEqualTo(State.AWAITING_AUTHENTICATION);
  }

  @Test
  void changesWaitingLongWithNoDeliveryAreStuckEvenWithoutAFailure() {
    queue.enqueue(ADS, List.of(DomainFixtures.add("a")));
    relay.clock.advance(Duration.ofMinutes(6));

    assertThat(status(ADS).stuck()).isTrue();
    assertThat(status(ADS).oldestChangeAge()).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void rateLatencyAndDeadLettersAreReported() {
    die(ADS, "rejected", 2);
    for (int i = 0; i < 90; i++) {
      activity.deliveryLatency(ADS, Duration.ofMillis(4));
    }
    for (int i = 0; i < 10; i++) {
      activity.deliveryLatency(ADS, Duration.ofMillis(3_000));
    }
    activity.delivery(ADS, "ok", 100);

    var ads = status(ADS);

    assertThat(ads.deliveredPerMinute()).isEqualTo(20.0);
    assertThat(ads.latency())
        .isEqualTo(
            new DestinationStatus.Latency(
                Duration.ofMillis(5), Duration.ofMillis(5_000), Duration.ofMillis(5_000)));
    assertThat(ads.deadLetters()).isEqualTo(2);
    assertThat(ads.history()).hasSize(60);
    assertThat(ads.history().getLast().delivered()).isEqualTo(100);
  }

  @Test
  void grantsAreListedWithTheirEndsAndNeverTheirTokens() {
    Instant end = Instant.parse("2027-01-01T00:00:00Z");
    relay.tokens.save(new TokenKey(ADS, "2291"), new PartnerTokens("at", "rt", end, null));
    relay.tokens.unreadable.put(new TokenKey(HOOK, "318"), "sealed with key k0, not configured");

    var grants = admin.grants.grants();

    assertThat(grants)
        .containsExactlyInAnyOrder(
            new io.audiencerelay.application.port.in.admin.ListGrantsUseCase.GrantStatus(
                ADS, "2291", true, end, null, null),
            new io.audiencerelay.application.port.in.admin.ListGrantsUseCase.GrantStatus(
                HOOK, "318", false, null, null, "sealed with key k0, not configured"));
    assertThat(grants.toString()).doesNotContain("at,").doesNotContain("rt");
  }

  DestinationStatus status(DestinationName name) {
    return health.destinations().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}

package io.audiencerelay.application.service.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.delivery.AudienceDeliveryService;
import io.audiencerelay.application.delivery.DeliveryScheduler;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.application.delivery.DeliveryWorker;
import io.audiencerelay.application.delivery.DestinationPauses;
import io.audiencerelay.application.delivery.Sleeper;
import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.in.CheckHealthUseCase.Health;
import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.domain.DomainFixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A delivery thread that dies of an error no cycle handles makes the relay report failing. */
class HealthServiceTest {

  /** An error of the kind a cycle does not catch (as an OutOfMemoryError would be). */
  static final class FatalError extends Error {
    FatalError() {
      super("simulated fatal error");
    }
  }

  @Test
  void aDeadDeliveryThreadMakesTheRelayFailing() {
    var relay = new Relay();
    var queue = new InMemoryDeliveryQueue(Clock.systemUTC(), 1_000);
    var scheduler = new DeliveryScheduler(Clock.systemUTC());
    scheduler.add(
        new DeliveryWorker(
            relay.directory.byName(DomainFixtures.DEMO).orElseThrow(),
            queue,
            new AudienceDeliveryService(
                relay.directory, relay.mappings, relay.grants, relay.feedSettings),
            DeliveryMetrics.NONE,
            Clock.systemUTC(),
            Sleeper.system(),
            () -> 0.5,
            new DeliverySettings(
                Duration.ZERO,
                Duration.ofMinutes(1),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                3,
                Duration.ofHours(1),
                0,
                1,
                0),
            DestinationPauses.NONE),
        1);
    var health = new HealthService(queue, scheduler);
    assertThat(health.check()).isEqualTo(new Health.Serving());

    relay.partner.whileDelivering =
        () -> {
          throw new FatalError();
        };
    queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("h1")));
    scheduler.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (health.check() instanceof Health.Serving && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }

      assertThat(health.check())
          .isInstanceOfSatisfying(
              Health.Failing.class,
              failing ->
                  assertThat(failing.problems())
                      .containsExactly(
                          "delivery thread relay-delivery-demo-0: FatalError: simulated fatal"
                              + " error"));
      // Nothing was lost: the change waits in the queue for the restarted process.
      assertThat(queue.queued()).hasSize(1);
    } finally {
      scheduler.stop(Duration.ofSeconds(1));
    }
  }
}

package io.audiencerelay.application.fakes;

import io.audiencerelay.application.delivery.DestinationPauses;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.service.admin.DeadLetterService;
import io.audiencerelay.application.service.admin.DeliveryActivity;
import io.audiencerelay.application.service.admin.DestinationHealthService;
import io.audiencerelay.application.service.admin.DestinationPauseService;
import io.audiencerelay.application.service.admin.GrantListService;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import java.time.Duration;
import java.util.List;

/** The operator's services over fakes, for two destinations {@code ads} and {@code hook}. */
public final class AdminFixture {
  public final Relay relay = new Relay("ads", "hook");
  public final InMemoryDeliveryQueue queue;
  public final DestinationPauses pauses =
      new DestinationPauses(new InMemoryPauseStore(), relay.clock);
  public final DeliveryActivity activity = new DeliveryActivity(relay.clock);
  public final DeadLetterService deadLetters;
  public final DestinationHealthService health;
  public final DestinationPauseService pauseService;
  public final GrantListService grants = new GrantListService(relay.tokens);

  /**
   * @param maxDepth the queue's limit per destination
   */
  public AdminFixture(long maxDepth) {
    queue = new InMemoryDeliveryQueue(relay.clock, maxDepth);
    deadLetters = new DeadLetterService(queue, queue, relay.directory);
    health =
        new DestinationHealthService(relay.directory, queue, queue, pauses, activity, relay.clock);
    pauseService = new DestinationPauseService(pauses, relay.directory);
  }

  /**
   * Queues {@code count} changes at the destination and dead-letters every change it has queued.
   */
  public void die(DestinationName destination, String error, int count) {
    for (int i = 0; i < count; i++) {
      queue.enqueue(destination, List.of(DomainFixtures.add("h" + i)));
    }
    var claimed = queue.claim(destination, 100, relay.clock.instant(), Duration.ofMinutes(1));
    queue.deadLetter(
        claimed.stream().map(DeliveryBacklog.QueuedChange::id).toList(),
        error,
        relay.clock.instant());
  }
}

package io.audiencerelay.application.delivery;

import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.util.List;

/** Wakes the destination's delivery workers after each accepted enqueue. */
public final class WakingDeliveryQueue implements DeliveryQueue {
  private final DeliveryQueue queue;
  private final DeliveryScheduler scheduler;

  public WakingDeliveryQueue(DeliveryQueue queue, DeliveryScheduler scheduler) {
    this.queue = queue;
    this.scheduler = scheduler;
  }

  @Override
  public EnqueueOutcome enqueue(DestinationName destination, List<MembershipChange> changes) {
    EnqueueOutcome outcome = queue.enqueue(destination, changes);
    if (outcome instanceof EnqueueOutcome.Accepted) {
      scheduler.wake(destination);
    }
    return outcome;
  }

  @Override
  public List<String> stoppedParts() {
    return queue.stoppedParts();
  }
}

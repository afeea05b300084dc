package io.audiencerelay.application.contract;

import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;

/** The fake must behave like the real stores, or the worker tests prove nothing. */
class InMemoryDeliveryQueueTest extends DeliveryBacklogContract {
  @Override
  @SuppressWarnings("unchecked")
  protected <Q extends DeliveryQueue & DeliveryBacklog> Q queue(long maxDepth) {
    return (Q) new InMemoryDeliveryQueue(new MutableClock(NOW), maxDepth);
  }
}

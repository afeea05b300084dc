package io.audiencerelay.application.contract;

import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;

class InMemoryDeliveryOrderTest extends DeliveryOrderContract {
  @Override
  @SuppressWarnings("unchecked")
  protected <Q extends DeliveryQueue & DeliveryBacklog> Q queue() {
    return (Q) new InMemoryDeliveryQueue(clock, 1_000_000);
  }

  @Override
  protected long[] seeds() {
    return new long[] {
      1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181
    };
  }
}

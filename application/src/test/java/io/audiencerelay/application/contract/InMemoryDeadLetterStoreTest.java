package io.audiencerelay.application.contract;

import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeadLetterStore;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;

class InMemoryDeadLetterStoreTest extends DeadLetterStoreContract {
  @Override
  @SuppressWarnings("unchecked")
  protected <Q extends DeliveryQueue & DeliveryBacklog & DeadLetterStore> Q store() {
    return (Q) new InMemoryDeliveryQueue(new MutableClock(NOW), 1000);
  }
}

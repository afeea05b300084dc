package io.audiencerelay.adapters.storage;

import io.audiencerelay.adapters.storage.memory.InMemorySegmentMappingStore;
import io.audiencerelay.application.contract.SegmentMappingStoreContract;
import io.audiencerelay.application.port.out.SegmentMappingStore;

class InMemorySegmentMappingStoreTest extends SegmentMappingStoreContract {
  @Override
  protected SegmentMappingStore newStore() {
    return new InMemorySegmentMappingStore();
  }
}

package io.audiencerelay.application.contract;

import io.audiencerelay.application.fakes.InMemoryMappings;
import io.audiencerelay.application.port.out.SegmentMappingStore;

/** The services' in-memory mapping store keeps the port's contract too. */
class InMemoryMappingsTest extends SegmentMappingStoreContract {
  @Override
  protected SegmentMappingStore newStore() {
    return new InMemoryMappings();
  }
}

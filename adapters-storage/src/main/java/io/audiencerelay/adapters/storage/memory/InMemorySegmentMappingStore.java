package io.audiencerelay.adapters.storage.memory;

import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.PartnerAudience;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Mappings held in memory. Lost on restart, which costs one idempotent get-or-create call per
 * segment; the durable store replaces it when a data directory or database is configured.
 */
public final class InMemorySegmentMappingStore implements SegmentMappingStore {
  private record Key(DestinationName destination, ExternalSegment segment) {}

  private final ConcurrentMap<Key, PartnerAudience> audiences = new ConcurrentHashMap<>();

  @Override
  public Optional<PartnerAudience> find(DestinationName destination, ExternalSegment segment) {
    return Optional.ofNullable(audiences.get(new Key(destination, segment)));
  }

  @Override
  public void save(DestinationName destination, ExternalSegment segment, PartnerAudience audience) {
    audiences.put(new Key(destination, segment), audience);
  }
}

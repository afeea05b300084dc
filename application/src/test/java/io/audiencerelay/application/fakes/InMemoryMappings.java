package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.PartnerAudience;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A mapping store in a map, for service tests. */
public final class InMemoryMappings implements SegmentMappingStore {
  public final Map<String, PartnerAudience> saved = new ConcurrentHashMap<>();

  @Override
  public Optional<PartnerAudience> find(DestinationName destination, ExternalSegment segment) {
    return Optional.ofNullable(saved.get(key(destination, segment)));
  }

  @Override
  public void save(DestinationName destination, ExternalSegment segment, PartnerAudience audience) {
    saved.put(key(destination, segment), audience);
  }

  private static String key(DestinationName destination, ExternalSegment segment) {
    return destination + "|" + segment.feedId() + "|" + segment.segmentId();
  }
}

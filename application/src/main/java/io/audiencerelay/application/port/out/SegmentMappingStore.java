package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.PartnerAudience;
import java.util.Optional;

/** Remembers which partner audience serves each external segment at each destination. */
public interface SegmentMappingStore {

  Optional<PartnerAudience> find(DestinationName destination, ExternalSegment segment);

  /** Records the audience; a later save for the same destination and segment replaces it. */
  void save(DestinationName destination, ExternalSegment segment, PartnerAudience audience);
}

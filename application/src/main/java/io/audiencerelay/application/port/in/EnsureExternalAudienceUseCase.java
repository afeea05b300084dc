package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;

/**
 * Makes sure the destination has the audience of a segment another platform announced; idempotent.
 */
public interface EnsureExternalAudienceUseCase {
  SegmentCreationResult ensure(DestinationName destination, ExternalSegment segment);
}

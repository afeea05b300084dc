package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.Require;

/**
 * Names an external segment, for its creation or connection.
 *
 * @param feedDestinationId the platform's feed destination, or null
 */
public record SegmentCommand(ExternalSegment segment, FeedDestinationId feedDestinationId) {
  public SegmentCommand {
    Require.present(segment, "segment");
  }
}

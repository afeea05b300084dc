package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.Require;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Instant;
import java.util.List;

/**
 * One user entering or leaving a segment.
 *
 * @param identifiers the user's identifiers; may be empty (then nothing is eligible)
 * @param observedAt the platform's timestamp, or null to use the relay's clock
 */
public record UpdateUserSegmentCommand(
    ExternalSegment segment,
    MembershipOperation operation,
    List<UserIdentifier> identifiers,
    Instant observedAt,
    FeedDestinationId feedDestinationId) {
  public UpdateUserSegmentCommand {
    Require.present(segment, "segment");
    Require.present(operation, "operation");
    identifiers = List.copyOf(Require.present(identifiers, "user_identifiers"));
  }
}

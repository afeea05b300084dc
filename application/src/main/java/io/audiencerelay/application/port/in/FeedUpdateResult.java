package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.util.List;

/**
 * Answer to one {@code user_segment_update} of the mediarithmics feed protocol: what any source
 * hears ({@link UserSegmentUpdateResult}), or, for a destination run as a batched feed, the item
 * the platform is to gather into a batch.
 */
public sealed interface FeedUpdateResult
    permits UserSegmentUpdateResult, FeedUpdateResult.ForBatch {

  /**
   * Not queued: the platform keeps it and sends it back in a {@code batch_update} (the SDK's
   * batched feed), which queues it then.
   *
   * @param identifiers the identifiers the destination can use, never empty
   */
  record ForBatch(MembershipOperation operation, List<UserIdentifier> identifiers)
      implements FeedUpdateResult {
    public ForBatch {
      java.util.Objects.requireNonNull(operation, "operation");
      identifiers = List.copyOf(identifiers);
      if (identifiers.isEmpty()) {
        throw new IllegalArgumentException("a batch item needs at least one identifier");
      }
    }
  }
}

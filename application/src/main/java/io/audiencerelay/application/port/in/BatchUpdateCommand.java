package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.Require;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Instant;
import java.util.List;

/**
 * A batch of updates of one segment.
 *
 * @param unreadableItems items the inbound adapter could not read; counted as errors in the answer
 */
public record BatchUpdateCommand(
    ExternalSegment segment, List<Item> items, int unreadableItems, Instant observedAt) {
  public BatchUpdateCommand {
    Require.present(segment, "segment");
    items = List.copyOf(Require.present(items, "batch_content"));
    if (unreadableItems < 0) {
      throw new IllegalArgumentException("unreadableItems must not be negative");
    }
  }

  /** One user's change within the batch. */
  public record Item(MembershipOperation operation, List<UserIdentifier> identifiers) {
    public Item {
      Require.present(operation, "operation");
      identifiers = List.copyOf(Require.present(identifiers, "user_identifiers"));
    }
  }
}

package io.audiencerelay.domain;

import java.util.List;

/**
 * Changes of one segment delivered together to one partner audience.
 *
 * @param id a stable id, so a partner that de-duplicates sees a retried batch as the same batch
 */
public record MembershipBatch(String id, ExternalSegment segment, List<MembershipChange> changes) {
  public MembershipBatch {
    id = Require.nonBlank(id, "batch id");
    Require.present(segment, "segment");
    changes = List.copyOf(Require.present(changes, "changes"));
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one change");
    }
    for (MembershipChange change : changes) {
      if (!change.segment().equals(segment)) {
        throw new IllegalArgumentException(
            "batch " + id + " mixes segments " + segment + " and " + change.segment());
      }
    }
  }

  public int size() {
    return changes.size();
  }
}

package io.audiencerelay.domain;

import java.time.Instant;
import java.util.List;

/**
 * One user entering or leaving one segment: the unit the relay accepts, queues and delivers.
 *
 * @param identifiers every identifier the platform gave for the user; never empty
 * @param observedAt when the platform saw the change (its {@code ts}), or when the relay accepted
 *     it
 */
public record MembershipChange(
    ExternalSegment segment,
    MembershipOperation operation,
    List<UserIdentifier> identifiers,
    Instant observedAt) {
  /**
   * Identifiers one change may carry: one user has a handful, and a queued change is held whole in
   * memory when it is claimed.
   */
  public static final int MAX_IDENTIFIERS = 1_000;

  public MembershipChange {
    Require.present(segment, "segment");
    Require.present(operation, "operation");
    Require.present(observedAt, "observedAt");
    identifiers = List.copyOf(Require.present(identifiers, "user_identifiers"));
    if (identifiers.isEmpty()) {
      throw new IllegalArgumentException("a membership change needs at least one user identifier");
    }
    if (identifiers.size() > MAX_IDENTIFIERS) {
      throw new IllegalArgumentException(
          "a membership change carries at most "
              + MAX_IDENTIFIERS
              + " user identifiers, got "
              + identifiers.size());
    }
  }
}

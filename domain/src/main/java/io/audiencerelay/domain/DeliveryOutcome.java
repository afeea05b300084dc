package io.audiencerelay.domain;

import java.time.Duration;

/** What a partner made of one delivery. */
public sealed interface DeliveryOutcome {

  /** The partner took the updates. */
  record Ok() implements DeliveryOutcome {}

  /**
   * The partner could not take them now; the same updates may succeed later.
   *
   * @param after how long to wait before trying again (zero when the partner did not say)
   */
  record Retry(Duration after, String reason) implements DeliveryOutcome {
    public Retry {
      after = Require.present(after, "after");
      if (after.isNegative()) {
        after = Duration.ZERO;
      }
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /**
   * The partner took the batch but refused some of its changes for good (a partner that answers per
   * item).
   *
   * @param rejectedIndexes positions, in the batch's changes, of the refused ones
   */
  record PartlyRejected(java.util.List<Integer> rejectedIndexes, String reason)
      implements DeliveryOutcome {
    public PartlyRejected {
      rejectedIndexes = java.util.List.copyOf(Require.present(rejectedIndexes, "rejectedIndexes"));
      if (rejectedIndexes.isEmpty() || rejectedIndexes.stream().anyMatch(i -> i < 0)) {
        throw new IllegalArgumentException(
            "a partial rejection names at least one change, by position");
      }
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /** The partner refused them for good; retrying the same updates would fail again. */
  record Rejected(String reason) implements DeliveryOutcome {
    public Rejected {
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /**
   * Nothing was sent: the partner grant needs a new login (revoked, or its consent ended). The
   * changes wait in the queue, without spending attempts, until someone logs in again.
   */
  record AwaitingAuthentication(String reason) implements DeliveryOutcome {
    public AwaitingAuthentication {
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /**
   * Nothing was sent, and nothing is wrong: the destination's rate limit or the order of a user's
   * earlier changes held the changes back. They wait {@code after} without spending an attempt.
   */
  record Deferred(Duration after, String reason) implements DeliveryOutcome {
    public Deferred {
      after = Require.present(after, "after");
      if (after.isNegative()) {
        after = Duration.ZERO;
      }
      reason = Require.nonBlank(reason, "reason");
    }
  }

  static DeliveryOutcome ok() {
    return new Ok();
  }
}

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

  /** The partner refused them for good; retrying the same updates would fail again. */
  record Rejected(String reason) implements DeliveryOutcome {
    public Rejected {
      reason = Require.nonBlank(reason, "reason");
    }
  }

  static DeliveryOutcome ok() {
    return new Ok();
  }
}

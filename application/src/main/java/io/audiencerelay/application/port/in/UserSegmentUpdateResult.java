package io.audiencerelay.application.port.in;

import java.time.Duration;

/** Answer to one user entering or leaving a segment. */
public sealed interface UserSegmentUpdateResult extends FeedUpdateResult
    permits UserSegmentUpdateResult.Accepted,
        UserSegmentUpdateResult.Retry,
        UserSegmentUpdateResult.NoEligibleIdentifier,
        Failed {
  /** The update is safe with the relay. */
  record Accepted() implements UserSegmentUpdateResult {}

  /** Not taken now; the platform should send it again after the delay. */
  record Retry(Duration after, String message) implements UserSegmentUpdateResult {}

  /** None of the user's identifiers is usable by the destination. */
  record NoEligibleIdentifier(String message) implements UserSegmentUpdateResult {}
}

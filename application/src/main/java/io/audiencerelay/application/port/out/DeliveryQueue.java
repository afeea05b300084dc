package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.time.Duration;
import java.util.List;

/**
 * Where accepted updates go. An implementation answers {@link EnqueueOutcome.Accepted} only once
 * the updates are safe: stored durably, or already delivered.
 */
public interface DeliveryQueue {

  /** Takes changes for one destination as one unit: all accepted or none. */
  EnqueueOutcome enqueue(DestinationName destination, List<MembershipChange> changes);

  /**
   * The parts of the queue that stopped for good (a background thread that died), each with why:
   * while any has, updates can no longer be stored or delivered. None by default.
   */
  default List<String> stoppedParts() {
    return List.of();
  }

  /** What became of an enqueue. */
  sealed interface EnqueueOutcome {
    /** The changes are safe; the platform may forget them. */
    record Accepted() implements EnqueueOutcome {}

    /**
     * Not taken now (back-pressure or a partner asking to wait); the platform should send them
     * again later.
     */
    record Retry(Duration after, String reason) implements EnqueueOutcome {}

    /** Not taken and never will be (the partner refused them for good). */
    record Rejected(String reason) implements EnqueueOutcome {}
  }
}

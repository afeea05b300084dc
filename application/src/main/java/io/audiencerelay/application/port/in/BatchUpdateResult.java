package io.audiencerelay.application.port.in;

import java.time.Duration;

/**
 * Answer to a batch of updates.
 *
 * @param sent items taken by the relay
 * @param inError items the relay could not use (unreadable, or no usable identifier)
 */
public sealed interface BatchUpdateResult {
  int sent();

  int inError();

  /**
   * At least one item was taken; {@code inError} says how many were not, and {@code message} why.
   */
  record Sent(int sent, int inError, String message) implements BatchUpdateResult {}

  /** Nothing could be taken: every item was unusable, or the destination refused them. */
  record Error(int sent, int inError, String message) implements BatchUpdateResult {}

  /** Not taken now; the platform should send the batch again after the delay. */
  record Retry(Duration after, int sent, int inError, String message)
      implements BatchUpdateResult {}
}

package io.audiencerelay.application.port.in.admin;

/** What an operator's action did. */
public sealed interface AdminActionResult {
  /**
   * @param count the items it acted on (dead letters requeued or discarded, 1 for a pause)
   * @param message what happened, in a sentence
   */
  record Done(long count, String message) implements AdminActionResult {}

  /** It acted on part: the rest is still there, for the reason given. */
  record Partly(long count, long left, String message) implements AdminActionResult {}

  /** The destination named is not configured. */
  record UnknownDestination(String message) implements AdminActionResult {}
}

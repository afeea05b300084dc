package io.audiencerelay.application.port.in.admin;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.Require;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One destination as an operator sees it.
 *
 * @param waitingUntil when its changes are next tried, while backing off or awaiting a login; else
 *     null
 * @param stuck whether changes wait and none has been delivered for a while, or the destination
 *     waits for a back-off or a login: what the console shows first
 * @param oldestChangeAge how long the oldest queued change has waited, or null when none
 * @param deliveredPerMinute changes delivered per minute over the last {@link #RECENT}
 * @param latency how long delivered changes waited between acceptance and delivery over the last
 *     {@link #RECENT}, or null when none was delivered
 * @param pausedBy who paused it, or null when it is not paused
 * @param history one point per minute over the last hour, oldest first
 */
public record DestinationStatus(
    DestinationName name,
    String type,
    State state,
    Instant waitingUntil,
    boolean stuck,
    long queueDepth,
    Duration oldestChangeAge,
    double deliveredPerMinute,
    Latency latency,
    String lastError,
    Instant lastErrorAt,
    long deadLetters,
    String pausedBy,
    Instant pausedAt,
    List<Point> history) {
  /** The window of the rate and the latency percentiles. */
  public static final Duration RECENT = Duration.ofMinutes(5);

  public DestinationStatus {
    Require.present(name, "name");
    Require.present(state, "state");
    history = List.copyOf(history);
  }

  /** What a destination is doing now. */
  public enum State {
    /** Changes are going out, or were delivered in the last minute. */
    DELIVERING,
    /** Nothing waits. */
    IDLE,
    /** A partner call failed: its changes wait for a retry. */
    BACKING_OFF,
    /** The partner grant needs a user to log in again. */
    AWAITING_AUTHENTICATION,
    /** An operator paused it: updates are accepted, nothing is delivered. */
    PAUSED
  }

  /** Percentiles, each the upper bound of the histogram bucket it falls in. */
  public record Latency(Duration p50, Duration p95, Duration p99) {}

  /**
   * One minute of the last hour.
   *
   * @param queueDepth the depth sampled last in the minute, or -1 when none was sampled
   * @param latencyP95 the minute's 95th percentile, or null when nothing was delivered
   */
  public record Point(
      Instant minute, long queueDepth, long delivered, long failed, Duration latencyP95) {}
}

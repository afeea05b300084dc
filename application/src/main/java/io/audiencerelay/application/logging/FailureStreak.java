package io.audiencerelay.application.logging;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One place's run of failures in a row, logged so that a long outage costs a few lines: the first
 * failure with its stack trace, then one line per {@code reportEvery} with the count so far and the
 * latest cause, and one line when the place works again. A loop that retries a full disk every
 * second would otherwise write a stack trace a second, onto a disk that may be the full one.
 */
public final class FailureStreak {
  private final Logger log;
  private final Level level;
  private final Clock clock;
  private final Duration reportEvery;
  // Read without the lock on every success, which is the common path.
  private volatile long failures;
  private long lastReportMillis;

  public FailureStreak(Logger log, Level level, Clock clock, Duration reportEvery) {
    if (reportEvery.isNegative() || reportEvery.isZero()) {
      throw new IllegalArgumentException("reportEvery must be positive: " + reportEvery);
    }
    this.log = log;
    this.level = level;
    this.clock = clock;
    this.reportEvery = reportEvery;
  }

  /** A streak reported at most once a minute. */
  public static FailureStreak perMinute(Logger log, Level level, Clock clock) {
    return new FailureStreak(log, level, clock, Duration.ofMinutes(1));
  }

  /** Records a failure; {@code what} says what failed, without the cause (added here). */
  public synchronized void failed(Throwable cause, Supplier<String> what) {
    long now = clock.millis();
    long count = ++failures;
    if (count == 1) {
      lastReportMillis = now;
      log.log(level, cause, what);
    } else if (now - lastReportMillis >= reportEvery.toMillis()) {
      lastReportMillis = now;
      log.log(
          level,
          () ->
              what.get()
                  + " (still failing: "
                  + count
                  + " failures in a row; latest: "
                  + describe(cause)
                  + ")");
    }
  }

  /** Records a success: ends a streak, with one line saying how long it was. */
  public void succeeded(Supplier<String> what) {
    if (failures == 0) {
      return;
    }
    synchronized (this) {
      long count = failures;
      if (count == 0) {
        return;
      }
      // Said before the count is reset: whoever sees the streak ended finds the line written.
      log.info(() -> what.get() + " again, after " + count + " failures in a row");
      failures = 0;
    }
  }

  /** How many failures in a row so far (0 when the last attempt worked). */
  public long failuresInARow() {
    return failures;
  }

  /** The cause and its deepest cause, on one line: the deepest usually names the real trouble. */
  static String describe(Throwable cause) {
    Throwable root = deepestCause(cause);
    return root == cause ? cause.toString() : cause + ", caused by " + root;
  }

  /** The end of a cause chain (the failure itself when it has no cause). */
  public static Throwable deepestCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}

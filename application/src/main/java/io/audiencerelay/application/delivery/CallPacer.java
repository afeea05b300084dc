package io.audiencerelay.application.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Paces a destination's partner calls: every call (an audience creation, each slice of a batch,
 * each half of a split) waits for its turn under the destination's rate limit, shared by all of the
 * destination's workers.
 */
public interface CallPacer {

  /**
   * Waits for a call's turn, until {@code deadline} at most, and takes it.
   *
   * @return whether the call may go
   */
  boolean awaitTurn(Instant deadline);

  /** How long until a call could go: zero when one could now. Takes nothing. */
  Duration untilNextTurn();

  /** No rate limit: every call goes at once. */
  CallPacer UNLIMITED =
      new CallPacer() {
        @Override
        public boolean awaitTurn(Instant deadline) {
          return true;
        }

        @Override
        public Duration untilNextTurn() {
          return Duration.ZERO;
        }
      };

  /** A limit of {@code bucket}'s rate; waits sleep on {@code sleeper}. */
  static CallPacer rateLimited(TokenBucket bucket, Clock clock, Sleeper sleeper) {
    return new CallPacer() {
      @Override
      public boolean awaitTurn(Instant deadline) {
        while (true) {
          Duration wait = bucket.tryTake();
          if (wait.isZero()) {
            return true;
          }
          if (clock.instant().plus(wait).isAfter(deadline)) {
            return false;
          }
          try {
            sleeper.sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }

      @Override
      public Duration untilNextTurn() {
        return bucket.untilAvailable();
      }
    };
  }
}

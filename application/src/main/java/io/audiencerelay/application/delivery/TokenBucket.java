package io.audiencerelay.application.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A rate limit: {@code ratePerSecond} calls per second on average, up to {@code burst} at once. */
public final class TokenBucket {
  private final Clock clock;
  private final double ratePerSecond;
  private final double burst;
  private double tokens;
  private Instant refilledAt;

  public TokenBucket(Clock clock, double ratePerSecond, double burst) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be positive and burst at least 1");
    }
    this.clock = clock;
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = clock.instant();
  }

  /** How long until a call's worth is available: zero when there is one now. Takes nothing. */
  public synchronized Duration untilAvailable() {
    refill();
    return tokens >= 1 ? Duration.ZERO : shortfall();
  }

  /**
   * Takes one call's worth if there is one.
   *
   * @return zero when taken, else how long until one is available (nothing is taken then)
   */
  public synchronized Duration tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return Duration.ZERO;
    }
    return shortfall();
  }

  private void refill() {
    Instant now = clock.instant();
    double elapsed = Duration.between(refilledAt, now).toNanos() / 1e9;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerSecond);
      refilledAt = now;
    }
  }

  private Duration shortfall() {
    return Duration.ofNanos((long) Math.ceil((1 - tokens) / ratePerSecond * 1e9));
  }
}

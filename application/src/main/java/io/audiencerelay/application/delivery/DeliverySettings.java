package io.audiencerelay.application.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How one destination's changes are delivered.
 *
 * @param linger how long a partial batch waits for more changes before it goes
 * @param lease how long a claimed batch belongs to its worker; past it, another worker may deliver
 *     it again
 * @param baseBackoff the first retry's upper bound; each retry doubles it (full jitter)
 * @param maxBackoff the longest wait between two attempts
 * @param maxAttempts attempts after which a change goes to the dead-letter table
 * @param maxAge age after which a change that still fails goes to the dead-letter table
 * @param ratePerSecond partner calls per second at most (0: unlimited)
 * @param concurrency partner calls in flight at most
 * @param maxBatchSize changes per partner call at most, below the partner's own limit (0: the
 *     partner's limit)
 */
public record DeliverySettings(
    Duration linger,
    Duration lease,
    Duration baseBackoff,
    Duration maxBackoff,
    int maxAttempts,
    Duration maxAge,
    double ratePerSecond,
    int concurrency,
    int maxBatchSize) {
  public static final DeliverySettings DEFAULTS =
      new DeliverySettings(
          Duration.ofSeconds(1),
          Duration.ofMinutes(2),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          20,
          Duration.ofHours(24),
          0,
          2,
          0);

  public DeliverySettings {
    Objects.requireNonNull(linger, "linger");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(baseBackoff, "baseBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAttempts < 1 || concurrency < 1 || ratePerSecond < 0 || maxBatchSize < 0) {
      throw new IllegalArgumentException(
          "max attempts and concurrency must be at least 1, rate not negative");
    }
  }
}

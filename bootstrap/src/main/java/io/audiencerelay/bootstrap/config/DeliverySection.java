package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.application.delivery.DeliverySettings;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** {@code delivery}: the defaults, and each destination's own under its {@code delivery} key. */
final class DeliverySection {
  private static final Set<String> DELIVERY_KEYS =
      Set.of(
          "linger_ms",
          "lease_seconds",
          "base_backoff_ms",
          "max_backoff_seconds",
          "max_attempts",
          "max_age_hours",
          "rate_limit_per_second",
          "concurrency",
          "max_batch_size");

  private final ConfigValues values;

  DeliverySection(ConfigValues values) {
    this.values = values;
  }

  /** The settings under {@code key}, each unset one taken from {@code base}. */
  DeliverySettings delivery(JsonNode node, String key, DeliverySettings base) {
    if (node.isMissingNode() || node.isNull()) {
      return base;
    }
    ConfigValues.checkKeys(node, key, DELIVERY_KEYS);
    double rate = base.ratePerSecond();
    Optional<String> rateText =
        values.text(node.path("rate_limit_per_second"), key + ".rate_limit_per_second");
    if (rateText.isPresent()) {
      try {
        rate = Double.parseDouble(rateText.get());
      } catch (NumberFormatException e) {
        rate = -1;
      }
      if (!(rate >= 0)) {
        throw new ConfigException(
            key
                + ".rate_limit_per_second: must be a number of calls per second, 0 for none; got '"
                + rateText.get()
                + "'");
      }
    }
    return new DeliverySettings(
        Duration.ofMillis(
            values
                .number(node.path("linger_ms"), key + ".linger_ms", 0, 600_000)
                .orElse(base.linger().toMillis())),
        Duration.ofSeconds(
            values
                .number(node.path("lease_seconds"), key + ".lease_seconds", 1, 86_400)
                .orElse(base.lease().toSeconds())),
        Duration.ofMillis(
            values
                .number(node.path("base_backoff_ms"), key + ".base_backoff_ms", 1, 3_600_000)
                .orElse(base.baseBackoff().toMillis())),
        Duration.ofSeconds(
            values
                .number(node.path("max_backoff_seconds"), key + ".max_backoff_seconds", 1, 86_400)
                .orElse(base.maxBackoff().toSeconds())),
        values
            .number(node.path("max_attempts"), key + ".max_attempts", 1, 1_000_000)
            .orElse((long) base.maxAttempts())
            .intValue(),
        Duration.ofHours(
            values
                .number(node.path("max_age_hours"), key + ".max_age_hours", 1, 24 * 365)
                .orElse(base.maxAge().toHours())),
        rate,
        values
            .number(node.path("concurrency"), key + ".concurrency", 1, 64)
            .orElse((long) base.concurrency())
            .intValue(),
        values
            .number(node.path("max_batch_size"), key + ".max_batch_size", 0, 1_000_000)
            .orElse((long) base.maxBatchSize())
            .intValue());
  }
}

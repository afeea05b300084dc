package io.audiencerelay.adapters.partner.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Headers;

/**
 * How long a partner asked the relay to wait, read from its answer's headers: {@code Retry-After}
 * in seconds or as an HTTP date, or a rate-limit reset given as epoch seconds, epoch milliseconds
 * or seconds from now. Unreadable values are ignored rather than trusted.
 */
public final class RetryDelays {
  /** A partner's delay is never followed beyond this; past it, the relay's own back-off decides. */
  static final Duration LONGEST = Duration.ofHours(6);

  private static final String[] RESET_HEADERS = {
    "X-RateLimit-Reset", "X-Ratelimit-Reset", "RateLimit-Reset", "X-Rate-Limit-Reset"
  };
  // Values this large are absolute times, not delays.
  private static final long EPOCH_SECONDS_FLOOR = 1_000_000_000L;
  private static final long EPOCH_MILLIS_FLOOR = 1_000_000_000_000L;

  private final Clock clock;

  public RetryDelays(Clock clock) {
    this.clock = clock;
  }

  /** The longest delay any of the headers asks for, if one does. */
  public Optional<Duration> requested(Headers headers) {
    Optional<Duration> retryAfter = retryAfter(headers.get("Retry-After"));
    Optional<Duration> reset = Optional.empty();
    for (String name : RESET_HEADERS) {
      reset = rateLimitReset(headers.get(name));
      if (reset.isPresent()) {
        break;
      }
    }
    if (retryAfter.isPresent() && reset.isPresent()) {
      return Optional.of(
          retryAfter.get().compareTo(reset.get()) >= 0 ? retryAfter.get() : reset.get());
    }
    return retryAfter.isPresent() ? retryAfter : reset;
  }

  /** {@code Retry-After: 120} or {@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}. */
  Optional<Duration> retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.strip();
    try {
      return bounded(Duration.ofSeconds(Long.parseLong(text)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return bounded(Duration.between(clock.instant(), at));
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  /** A reset time: epoch seconds, epoch milliseconds, or seconds from now (decimals allowed). */
  Optional<Duration> rateLimitReset(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    double number;
    try {
      number = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (Double.isNaN(number) || number < 0) {
      return Optional.empty();
    }
    long whole = (long) number;
    if (whole >= EPOCH_MILLIS_FLOOR) {
      return bounded(Duration.ofMillis(whole - clock.millis()));
    }
    if (whole >= EPOCH_SECONDS_FLOOR) {
      return bounded(Duration.ofMillis(whole * 1000 - clock.millis()));
    }
    return bounded(Duration.ofMillis((long) Math.ceil(number * 1000)));
  }

  private static Optional<Duration> bounded(Duration delay) {
    if (delay.isNegative()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(delay.compareTo(LONGEST) > 0 ? LONGEST : delay);
  }
}

package io.audiencerelay.adapters.partner.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.MutableClock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryDelaysTest {
  // Wed, 21 Oct 2026 07:28:00 GMT
  final MutableClock clock = new MutableClock(Instant.parse("2026-10-21T07:27:00Z"));
  final RetryDelays delays = new RetryDelays(clock);

  @Test
  void retryAfterInSecondsOrAsAnHttpDate() {
    assertThat(delays.requested(Headers.of("Retry-After", "120")))
        .contains(Duration.ofSeconds(120));
    assertThat(delays.requested(Headers.of("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")))
        .contains(Duration.ofSeconds(60));
    assertThat(delays.requested(Headers.of("Retry-After", "Wed, 21 Oct 2026 07:00:00 GMT")))
        .contains(Duration.ZERO);
  }

  @Test
  void rateLimitResetAsEpochSecondsEpochMillisOrSecondsFromNow() {
    long epochSeconds = clock.instant().getEpochSecond() + 30;
    assertThat(delays.requested(Headers.of("X-RateLimit-Reset", Long.toString(epochSeconds))))
        .contains(Duration.ofSeconds(30));
    assertThat(
            delays.requested(
                Headers.of("X-Ratelimit-Reset", Long.toString(epochSeconds * 1000 + 500))))
        .contains(Duration.ofMillis(30_500));
    assertThat(delays.requested(Headers.of("RateLimit-Reset", "2.5")))
        .contains(Duration.ofMillis(2500));
  }

  @Test
  void theLongerOfTwoRequestsWinsAndNothingBeyondSixHours() {
    assertThat(delays.requested(Headers.of("Retry-After", "10", "X-RateLimit-Reset", "40")))
        .contains(Duration.ofSeconds(40));
    assertThat(delays.requested(Headers.of("Retry-After", "999999"))).contains(Duration.ofHours(6));
  }

  @Test
  void unreadableOrAbsentValuesAreIgnored() {
    assertThat(delays.requested(Headers.of())).isEmpty();
    assertThat(delays.requested(Headers.of("Retry-After", "soon"))).isEmpty();
    assertThat(delays.requested(Headers.of("X-RateLimit-Reset", "-5"))).isEmpty();
  }
}

package io.audiencerelay.application.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-23T12:00:00Z"));

  @Test
  void aBurstIsTakenAtOnceThenTokensComeAtTheRate() {
    TokenBucket bucket = new TokenBucket(clock, 4, 2);

    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isEqualTo(Duration.ofMillis(250));

    clock.advance(Duration.ofMillis(250));
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.tryTake()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void lookingTakesNothing() {
    TokenBucket bucket = new TokenBucket(clock, 2, 1);

    assertThat(bucket.untilAvailable()).isZero();
    assertThat(bucket.untilAvailable()).isZero();
    assertThat(bucket.tryTake()).isZero();
    assertThat(bucket.untilAvailable()).isEqualTo(Duration.ofMillis(500));

    clock.advance(Duration.ofMillis(200));
    assertThat(bucket.untilAvailable()).isEqualTo(Duration.ofMillis(300));
    clock.advance(Duration.ofMillis(300));
    assertThat(bucket.untilAvailable()).isZero();
    assertThat(bucket.tryTake()).isZero();
  }
}

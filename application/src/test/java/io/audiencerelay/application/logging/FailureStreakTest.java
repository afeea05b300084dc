package io.audiencerelay.application.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.CapturedLogs;
import io.audiencerelay.application.fakes.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class FailureStreakTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T00:00:00Z"));
  private final FailureStreak streak =
      FailureStreak.perMinute(
          Logger.getLogger(FailureStreakTest.class.getName()), Level.WARNING, clock);
  private final Exception full =
      new IllegalStateException(
          "update failed", new IOException("[SQLITE_FULL] database or disk is full"));

  @Test
  void aLongOutageIsOneFullRecordThenALineAMinuteThenOneLineWhenItEnds() {
    try (CapturedLogs logs = new CapturedLogs(FailureStreakTest.class)) {
      for (int second = 0; second < 150; second++) {
        streak.failed(full, () -> "could not store updates");
        clock.advance(Duration.ofSeconds(1));
      }
      streak.succeeded(() -> "updates are stored");
      streak.succeeded(() -> "updates are stored");

      assertThat(logs.lines())
          .containsExactly(
              "WARNING could not store updates",
              "WARNING could not store updates (still failing: 61 failures in a row; latest:"
                  + " java.lang.IllegalStateException: update failed, caused by"
                  + " java.io.IOException: [SQLITE_FULL] database or disk is full)",
              "WARNING could not store updates (still failing: 121 failures in a row; latest:"
                  + " java.lang.IllegalStateException: update failed, caused by"
                  + " java.io.IOException: [SQLITE_FULL] database or disk is full)",
              "INFO updates are stored again, after 150 failures in a row");
      assertThat(logs.records().get(0).getThrown()).isSameAs(full);
      assertThat(logs.records().get(1).getThrown()).isNull();
      assertThat(streak.failuresInARow()).isZero();
    }
  }

  @Test
  void aNewStreakIsLoggedInFullAgain() {
    try (CapturedLogs logs = new CapturedLogs(FailureStreakTest.class)) {
      streak.failed(full, () -> "could not store updates");
      streak.succeeded(() -> "updates are stored");
      streak.failed(full, () -> "could not store updates");

      assertThat(logs.records()).hasSize(3);
      assertThat(logs.records().get(2).getThrown()).isSameAs(full);
      assertThat(streak.failuresInARow()).isEqualTo(1);
    }
  }

  @Test
  void successesWithoutAFailureSayNothing() {
    try (CapturedLogs logs = new CapturedLogs(FailureStreakTest.class)) {
      streak.succeeded(() -> "updates are stored");
      assertThat(logs.records()).isEmpty();
    }
  }
}

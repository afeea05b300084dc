package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.storage.queue.GroupWriter.PendingWrite;
import io.audiencerelay.domain.DomainFixtures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Requests wait for the writer without a timer of their own: the watchdog bounds their wait. */
class WriteWatchdogTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long NOW = 1_000_000_000_000L;

  @Test
  void aWriteNotStoredInTimeFailsSoItsRequestIsAskedToRetry() {
    PendingWrite overdue = write(NOW - TIMEOUT.toNanos() - 1);
    PendingWrite recent = write(NOW - TIMEOUT.toNanos() + 1_000_000);

    JdbcDeliveryQueue.failOverdue(List.of(overdue, recent), NOW, TIMEOUT);

    assertThat(overdue.done())
        .isCompletedExceptionally()
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(TimeoutException.class)
        .withMessageContaining("not stored within PT30S");
    assertThat(recent.done()).isNotDone();
  }

  @Test
  void aWriteAlreadyStoredStaysStored() {
    PendingWrite stored = write(NOW - TIMEOUT.toNanos() - 1);
    stored.done().complete(null);

    JdbcDeliveryQueue.failOverdue(List.of(stored), NOW, TIMEOUT);

    assertThat(stored.done()).isCompletedWithValue(null);
  }

  private static PendingWrite write(long offeredAt) {
    return new PendingWrite(
        DomainFixtures.DEMO,
        List.of(DomainFixtures.add("h1")),
        null,
        new CompletableFuture<>(),
        offeredAt);
  }
}

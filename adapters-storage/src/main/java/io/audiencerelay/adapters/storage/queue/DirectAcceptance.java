package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.queue.GroupWriter.PendingWrite;
import io.audiencerelay.application.logging.FailureStreak;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * PostgreSQL: a group is inserted and committed before its requests are answered; an update must
 * not wait on one relay's local disk when several relays share the queue.
 */
final class DirectAcceptance implements Acceptance {
  private final QueueTables tables;
  private final QueueCounts counts;
  private final Clock clock;
  // A database that is away fails every group until it is back: a few lines, not one a group.
  private final FailureStreak storeFailures;

  DirectAcceptance(QueueTables tables, QueueCounts counts, Clock clock) {
    this.tables = tables;
    this.counts = counts;
    this.clock = clock;
    this.storeFailures =
        FailureStreak.perMinute(
            Logger.getLogger(JdbcDeliveryQueue.class.getName()), Level.SEVERE, clock);
  }

  @Override
  public ByteBuffer record(
      DestinationName destination, List<MembershipChange> changes, long millis) {
    return null;
  }

  @Override
  public void store(List<PendingWrite> group) {
    long now = clock.millis();
    List<JournalRecords.QueueRow> rows = new ArrayList<>();
    for (PendingWrite write : group) {
      for (MembershipChange change : write.changes()) {
        rows.add(JournalRecords.QueueRow.of(write.destination(), change, now));
      }
    }
    try {
      tables.transaction(
          connection -> {
            tables.insert(connection, rows);
            return null;
          });
    } catch (RuntimeException e) {
      storeFailures.failed(
          e, () -> "could not store accepted updates in " + tables + ": answered retry");
      Acceptance.fail(group, e);
      return;
    }
    storeFailures.succeeded(() -> "accepted updates are stored in " + tables);
    for (PendingWrite write : group) {
      counts.depthOf(write.destination()).addAndGet(write.changes().size());
      write.done().complete(null);
    }
  }

  @Override
  public void start(BiFunction<String, Runnable, Runnable> guarded) {}

  /** Committed before the answer: reads see it already. */
  @Override
  public void catchUp(Duration limit) {}

  @Override
  public Optional<FastLane> lane() {
    return Optional.empty();
  }

  @Override
  public void close() {}
}

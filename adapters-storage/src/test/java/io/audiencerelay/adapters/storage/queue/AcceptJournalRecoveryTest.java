package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.application.fakes.CapturedLogs;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite queue's accept journal across stops and crashes: nothing lost, nothing doubled. */
class AcceptJournalRecoveryTest {
  private static final DestinationName DEMO = DomainFixtures.DEMO;
  private static final DestinationName OTHER = new DestinationName("other");
  private static final Instant NOW = DomainFixtures.T0;
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path directory;

  private Path databaseFile() {
    return directory.resolve("relay.db");
  }

  @Test
  void updatesAnsweredButNeverMovedIntoTheDatabaseAreQueuedAtStart() throws IOException {
    // As after a crash between the answer and the database's transaction.
    MembershipChange h1 = DomainFixtures.add("h1");
    MembershipChange h2 = DomainFixtures.remove("h2");
    MembershipChange x = DomainFixtures.add("x");
    appendToJournal(0, write(DEMO, h1, h2), write(OTHER, x));

    try (CapturedLogs log = new CapturedLogs(JdbcDeliveryQueue.class);
        Database database = Database.sqlite(databaseFile());
        JdbcDeliveryQueue queue = queue(database)) {
      assertThat(log.records())
          .anySatisfy(
              record ->
                  assertThat(record.getMessage())
                      .matches("moving \\d+ bytes of accepted updates from the journal first"));
      assertThat(queue.claim(DEMO, 10, NOW, LEASE))
          .extracting(QueuedChange::change)
          .containsExactly(h1, h2);
      assertThat(queue.claim(OTHER, 10, NOW, LEASE))
          .singleElement()
          .satisfies(item -> assertThat(item.change()).isEqualTo(x))
          .satisfies(item -> assertThat(item.enqueuedAt()).isEqualTo(NOW));
    }
  }

  @Test
  void aRestartNeverQueuesAnUpdateTwice() throws IOException {
    try (Database database = Database.sqlite(databaseFile());
        JdbcDeliveryQueue queue = queue(database)) {
      assertThat(queue.enqueue(DEMO, List.of(DomainFixtures.add("h1"))))
          .isEqualTo(new EnqueueOutcome.Accepted());
      assertThat(queue.enqueue(DEMO, List.of(DomainFixtures.add("h2"))))
          .isEqualTo(new EnqueueOutcome.Accepted());
    }
    // The journal still holds both (its open segment is kept); one more arrives before a crash.
    appendToJournal(0, write(DEMO, DomainFixtures.add("h3")));

    try (Database database = Database.sqlite(databaseFile());
        JdbcDeliveryQueue queue = queue(database)) {
      assertThat(queue.claim(DEMO, 10, NOW, LEASE))
          .extracting(item -> item.change().identifiers().getFirst())
          .containsExactly(
              DomainFixtures.add("h1").identifiers().getFirst(),
              DomainFixtures.add("h2").identifiers().getFirst(),
              DomainFixtures.add("h3").identifiers().getFirst());
    }
  }

  @Test
  void aTornRecordLeftByACrashIsDroppedAndTheQueueGoesOn() throws IOException {
    appendToJournal(0, write(DEMO, DomainFixtures.add("h1")));
    Path segment;
    try (var files = Files.list(JdbcDeliveryQueue.journalDirectory(databaseFile()))) {
      segment = files.findFirst().orElseThrow();
    }
    Files.write(segment, new byte[] {0, 0, 1, 0, 9, 9}, StandardOpenOption.APPEND);

    try (Database database = Database.sqlite(databaseFile());
        JdbcDeliveryQueue queue = queue(database)) {
      assertThat(queue.enqueue(DEMO, List.of(DomainFixtures.add("h2"))))
          .isEqualTo(new EnqueueOutcome.Accepted());
      assertThat(queue.claim(DEMO, 10, NOW, LEASE)).hasSize(2);
    }
  }

  @Test
  void workersHearOfEachDestinationOnceTheDatabaseHoldsItsUpdates() {
    Set<DestinationName> heard = ConcurrentHashMap.newKeySet();
    try (Database database = Database.sqlite(databaseFile());
        JdbcDeliveryQueue queue = queue(database)) {
      queue.whenIngested(heard::add);

      queue.enqueue(OTHER, List.of(DomainFixtures.add("h1")));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!heard.contains(OTHER) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(heard).containsExactly(OTHER);
    }
  }

  private static JdbcDeliveryQueue queue(Database database) {
    return new JdbcDeliveryQueue(database, new MutableClock(NOW), 100, Duration.ofSeconds(1));
  }

  private static ByteBuffer write(DestinationName destination, MembershipChange... changes) {
    return JournalRecords.record(destination, List.of(changes), NOW.toEpochMilli());
  }

  private void appendToJournal(long appliedThrough, ByteBuffer... records) throws IOException {
    try (AcceptJournal journal =
        AcceptJournal.open(
            JdbcDeliveryQueue.journalDirectory(databaseFile()), appliedThrough, 1 << 20)) {
      journal.appendDurably(List.of(records));
    }
  }
}

package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.application.fakes.CapturedLogs;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.domain.DomainFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the database cannot take the journal: nothing lost, and a log that does not flood. */
class IngestFailureTest {
  @TempDir Path directory;

  @Test
  void aFailingIngestIsLoggedOnceKeepsTheUpdateAndSaysWhenItRecovers() throws Exception {
    try (CapturedLogs log = new CapturedLogs(JdbcDeliveryQueue.class);
        Database database = Database.sqlite(directory.resolve("relay.db"));
        JdbcDeliveryQueue queue =
            // No fast lane: the update must go through the database.
            new JdbcDeliveryQueue(
                database, new MutableClock(DomainFixtures.T0), 100, Duration.ofSeconds(1), 0)) {
      execute(database, "ALTER TABLE delivery_queue RENAME TO delivery_queue_away");

      assertThat(queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("h1"))))
          .isInstanceOf(EnqueueOutcome.Accepted.class);
      waitFor(() -> queue.ingestFailuresInARow() >= 3);

      assertThat(log.records().stream().filter(record -> record.getLevel() == Level.SEVERE))
          .singleElement()
          .satisfies(record -> assertThat(record.getThrown()).isNotNull());

      execute(database, "ALTER TABLE delivery_queue_away RENAME TO delivery_queue");
      waitFor(() -> queue.ingestFailuresInARow() == 0);

      assertThat(log.records())
          .anySatisfy(
              record ->
                  assertThat(record.getMessage())
                      .contains("again, after")
                      .contains("failures in a row"));
      assertThat(queue.due(DomainFixtures.DEMO, DomainFixtures.T0, 10).count()).isEqualTo(1);
    }
  }

  @Test
  void aStopWhileTheDatabaseRefusesTheJournalLeavesTheUpdateThereForTheNextStart()
      throws Exception {
    Path file = directory.resolve("relay.db");
    try (CapturedLogs log = new CapturedLogs(JdbcDeliveryQueue.class);
        Database database = Database.sqlite(file)) {
      JdbcDeliveryQueue queue =
          new JdbcDeliveryQueue(
              database, new MutableClock(DomainFixtures.T0), 100, Duration.ofSeconds(1), 0);
      execute(database, "ALTER TABLE delivery_queue RENAME TO delivery_queue_away");
      assertThat(queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("h1"))))
          .isInstanceOf(EnqueueOutcome.Accepted.class);
      waitFor(() -> queue.ingestFailuresInARow() >= 1);

      queue.close();

      assertThat(log.lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("WARNING stopping while")
                      .contains("wait in the journal"));
      execute(database, "ALTER TABLE delivery_queue_away RENAME TO delivery_queue");
    }
    try (Database database = Database.sqlite(file);
        JdbcDeliveryQueue queue =
            new JdbcDeliveryQueue(
                database, new MutableClock(DomainFixtures.T0), 100, Duration.ofSeconds(1), 0)) {
      assertThat(queue.due(DomainFixtures.DEMO, DomainFixtures.T0, 10).count()).isEqualTo(1);
    }
  }

  private static void execute(Database database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 15 s").isLessThan(deadline);
      // Polled every millisecond: the ingester retries once a second.
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}

package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.TestDatabases;
import io.audiencerelay.application.contract.DeliveryBacklogContract;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcDeliveryQueueTest {
  abstract static class Base extends DeliveryBacklogContract {
    final List<AutoCloseable> opened = new ArrayList<>();

    abstract Database database();

    @Override
    @SuppressWarnings("unchecked")
    protected <Q extends DeliveryQueue & DeliveryBacklog> Q queue(long maxDepth) {
      Database database = database();
      JdbcDeliveryQueue queue =
          new JdbcDeliveryQueue(database, new MutableClock(NOW), maxDepth, Duration.ofSeconds(1));
      opened.add(database);
      opened.add(queue);
      return (Q) queue;
    }

    @Test
    void aStoredChangeThatNoLongerReadsIsDeadLetteredAndDoesNotBlockTheOthers() throws Exception {
      Database database = database();
      opened.add(database);
      // Accepted by an earlier version, before ids were checked for control characters.
      try (Connection connection = database.dataSource().getConnection();
          Statement statement = connection.createStatement()) {
        statement.executeUpdate(
            "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation,"
                + " identifiers, observed_at, enqueued_at, attempts, next_attempt_at) VALUES"
                + " ('demo', '6921', '84213', NULL, 'add', '[[\"P\",\"u\\u00011\"]]', 1, 1, 0, 1)");
      }
      JdbcDeliveryQueue queue =
          new JdbcDeliveryQueue(database, new MutableClock(NOW), 1000, Duration.ofSeconds(1));
      opened.add(queue);
      DestinationName demo = new DestinationName("demo");
      queue.enqueue(demo, List.of(DomainFixtures.add("u2")));

      List<DeliveryBacklog.QueuedChange> claimed =
          queue.claim(demo, 10, NOW.plusSeconds(1), Duration.ofMinutes(1));

      assertThat(claimed)
          .extracting(q -> q.change().identifiers().getFirst().value())
          .containsExactly("u2");
      assertThat(queue.deadLetters(demo, 10))
          .singleElement()
          .satisfies(
              letter ->
                  assertThat(letter.error())
                      .startsWith(
                          "unreadable stored change: user_point_id must not contain control"
                              + " characters"));
    }

    @AfterEach
    void close() throws Exception {
      for (AutoCloseable resource : opened.reversed()) {
        resource.close();
      }
    }
  }

  @Nested
  class OnSqlite extends Base {
    @TempDir Path directory;

    @Override
    Database database() {
      return TestDatabases.sqlite(directory);
    }
  }

  @Nested
  class OnPostgresql extends Base {
    @Override
    Database database() {
      return TestDatabases.postgresql();
    }
  }

  abstract static class DeadLetters
      extends io.audiencerelay.application.contract.DeadLetterStoreContract {
    final List<AutoCloseable> opened = new ArrayList<>();

    abstract Database database();

    @Override
    @SuppressWarnings("unchecked")
    protected <
            Q extends
                DeliveryQueue & DeliveryBacklog
                    & io.audiencerelay.application.port.out.DeadLetterStore>
        Q store() {
      Database database = database();
      JdbcDeliveryQueue queue =
          new JdbcDeliveryQueue(database, new MutableClock(NOW), 1000, Duration.ofSeconds(1));
      opened.add(database);
      opened.add(queue);
      return (Q) queue;
    }

    @AfterEach
    void close() throws Exception {
      for (AutoCloseable resource : opened.reversed()) {
        resource.close();
      }
    }
  }

  @Nested
  class DeadLettersOnSqlite extends DeadLetters {
    @TempDir Path directory;

    @Override
    Database database() {
      return TestDatabases.sqlite(directory);
    }
  }

  @Nested
  class DeadLettersOnPostgresql extends DeadLetters {
    @Override
    Database database() {
      return TestDatabases.postgresql();
    }
  }
}

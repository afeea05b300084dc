package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite queue's fast lane: a destination that keeps up gets its changes without the database,
 * and everything else still goes through it. (The queue contract runs on the lane as well.)
 */
class FastLaneTest {
  private static final DestinationName DEMO = DomainFixtures.DEMO;
  private static final Instant NOW = DomainFixtures.T0;
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir Path directory;
  private final MutableClock clock = new MutableClock(NOW);
  private Database database;
  private JdbcDeliveryQueue queue;

  private JdbcDeliveryQueue open() {
    database = Database.sqlite(directory.resolve("relay.db"));
    queue = new JdbcDeliveryQueue(database, clock, 1000, Duration.ofSeconds(1));
    return queue;
  }

  @AfterEach
  void close() {
    queue.close();
    database.close();
  }

  @Test
  void aDeliveredChangeNeverEntersTheDatabaseAndTheJournalMovesOn() throws Exception {
    open();
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));

    List<QueuedChange> claimed = queue.claim(DEMO, 10, NOW, LEASE);
    assertThat(claimed).singleElement().satisfies(item -> assertThat(item.id()).isNegative());
    assertThat(queue.backlog(NOW)).singleElement().satisfies(b -> assertThat(b.depth()).isOne());
    queue.complete(List.of(claimed.getFirst().id()));

    assertThat(rows("delivery_queue")).isZero();
    assertThat(queue.backlog(NOW)).isEmpty();
    // Once delivered, the change no longer holds the journal: its position is stored.
    waitFor(() -> appliedThrough() > 0);
  }

  @Test
  void changesADestinationDoesNotTakeInTimeMoveToTheDatabase() throws Exception {
    open();
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1"), DomainFixtures.remove("h2")));
    assertThat(queue.due(DEMO, NOW, 10).count()).isEqualTo(2);
    assertThat(rows("delivery_queue")).isZero();

    clock.advance(Duration.ofSeconds(3));

    waitFor(() -> rows("delivery_queue") == 2 && queue.due(DEMO, clock.instant(), 10).count() == 2);
    assertThat(queue.claim(DEMO, 10, clock.instant(), LEASE))
        .allSatisfy(item -> assertThat(item.id()).isPositive())
        .extracting(item -> item.change().operation().wireName())
        .containsExactly("add", "remove");
  }

  @Test
  void aFailedDeliveryWaitsInTheDatabaseAndLaterChangesFollowItThereInOrder() throws Exception {
    open();
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    long id = queue.claim(DEMO, 10, NOW, LEASE).getFirst().id();
    queue.retry(List.of(id), NOW.plusSeconds(10), "partner answered 503");
    assertThat(rows("delivery_queue")).isOne();

    queue.enqueue(DEMO, List.of(DomainFixtures.add("h2")));

    assertThat(queue.due(DEMO, NOW, 10).count()).isOne();
    assertThat(rows("delivery_queue")).isEqualTo(2);
    assertThat(queue.claim(DEMO, 10, NOW.plusSeconds(10), LEASE))
        .extracting(item -> item.change().identifiers().getFirst())
        .containsExactly(
            DomainFixtures.add("h1").identifiers().getFirst(),
            DomainFixtures.add("h2").identifiers().getFirst());
  }

  @Test
  void aStopStoresWhatTheLaneHeldAndARestartDeliversItOnce() throws Exception {
    open();
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    assertThat(queue.due(DEMO, NOW, 10).count()).isOne();
    close();

    open();
    assertThat(rows("delivery_queue")).isOne();
    assertThat(queue.claim(DEMO, 10, NOW, LEASE)).hasSize(1);
  }

  private long rows(String table) {
    return query("SELECT count(*) FROM " + table);
  }

  private long appliedThrough() {
    return query("SELECT applied_through FROM accept_journal WHERE id = 1");
  }

  private long query(String sql) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      LockSupport.parkNanos(1_000_000);
    }
  }
}

package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.TestDatabases;
import io.audiencerelay.application.fakes.CapturedLogs;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two relays on one PostgreSQL database, as a scaled-out deployment runs them. */
class SharedQueueTest {
  private static final Instant NOW = DomainFixtures.T0;
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final DestinationName DEMO = DomainFixtures.DEMO;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private Database database;

  @BeforeEach
  void open() {
    database = TestDatabases.postgresql();
    opened.add(database);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
  }

  private JdbcDeliveryQueue relay(long maxDepth) {
    JdbcDeliveryQueue queue =
        new JdbcDeliveryQueue(database, new MutableClock(NOW), maxDepth, Duration.ofSeconds(1));
    opened.add(queue);
    return queue;
  }

  private static List<Long> ids(List<QueuedChange> changes) {
    return changes.stream().map(QueuedChange::id).toList();
  }

  @Test
  void aRelayWhoseLeaseRanOutCannotCompleteRetryOrDeadLetterWhatAnotherTookOver() {
    JdbcDeliveryQueue stalled = relay(100);
    JdbcDeliveryQueue other = relay(100);
    stalled.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    List<Long> firstLease = ids(stalled.claim(DEMO, 10, NOW, LEASE));
    Instant later = NOW.plus(LEASE).plusSeconds(1);
    List<Long> taken = ids(other.claim(DEMO, 10, later, LEASE));
    assertThat(taken).isEqualTo(firstLease);

    stalled.complete(firstLease);
    stalled.retry(firstLease, later, "late");
    stalled.deadLetter(firstLease, "late", later);

    assertThat(other.deadLetters(DEMO, 10)).isEmpty();
    // Still leased to the other relay: nobody may claim it, and its holder completes it.
    assertThat(stalled.claim(DEMO, 10, later.plusSeconds(1), LEASE)).isEmpty();
    assertThat(other.backlog(later).getFirst().depth()).isEqualTo(1);
    other.complete(taken);
    assertThat(other.backlog(later)).isEmpty();
  }

  @Test
  void aLeasedChangeWaitsAtTheBackOfTheDueOrderWithItsHolderNamed() throws Exception {
    JdbcDeliveryQueue queue = relay(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    queue.claim(DEMO, 10, NOW, LEASE);
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT next_attempt_at, leased_until, lease_owner FROM delivery_queue")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getLong(1)).isEqualTo(NOW.plus(LEASE).toEpochMilli());
      assertThat(row.getLong(2)).isEqualTo(NOW.plus(LEASE).toEpochMilli());
      assertThat(row.getString(3)).isEqualTo(queue.leaseOwner()).startsWith("relay-");
    }
  }

  @Test
  void theDepthBoundFollowsWhatEveryRelayDeliversNotOnlyItsOwnCount() {
    JdbcDeliveryQueue accepting = relay(2);
    JdbcDeliveryQueue delivering = relay(2);
    accepting.enqueue(DEMO, List.of(DomainFixtures.add("h1"), DomainFixtures.add("h2")));
    assertThat(accepting.enqueue(DEMO, List.of(DomainFixtures.add("h3"))))
        .isInstanceOf(EnqueueOutcome.Retry.class);

    delivering.complete(ids(delivering.claim(DEMO, 10, NOW, LEASE)));

    // The accepting relay reads the depth again within a second or so.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    EnqueueOutcome outcome = accepting.enqueue(DEMO, List.of(DomainFixtures.add("h3")));
    while (!(outcome instanceof EnqueueOutcome.Accepted) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      outcome = accepting.enqueue(DEMO, List.of(DomainFixtures.add("h3")));
    }
    assertThat(outcome).isEqualTo(new EnqueueOutcome.Accepted());
  }

  @Test
  void aClaimThatRunsPastItsBoundIsCancelledLoggedAndClaimsNothing() throws Exception {
    JdbcDeliveryQueue queue = relay(100);
    queue.enqueue(DEMO, List.of(DomainFixtures.add("h1")));
    try (CapturedLogs logs = new CapturedLogs(JdbcDeliveryQueue.class);
        Connection blocker = database.dataSource().getConnection();
        Statement lock = blocker.createStatement()) {
      // A claim that cannot finish: another session holds the table.
      blocker.setAutoCommit(false);
      lock.execute("LOCK TABLE delivery_queue IN ACCESS EXCLUSIVE MODE");

      assertThat(queue.claim(DEMO, 10, NOW, LEASE)).isEmpty();

      blocker.rollback();
      assertThat(logs.lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("destination 'demo'")
                      .contains("ran past its bound of 5000 ms and was cancelled"));
    }
    assertThat(queue.claim(DEMO, 10, NOW, LEASE)).hasSize(1);
  }

  @Test
  void claimsOfOneDestinationTakeTurnsSoThatEachTakesConsecutiveChanges() throws Exception {
    JdbcDeliveryQueue one = relay(100_000);
    JdbcDeliveryQueue other = relay(100_000);
    List<MembershipChange> changes = new ArrayList<>();
    for (int n = 0; n < 4_000; n++) {
      changes.add(DomainFixtures.add("u" + n));
    }
    one.enqueue(DEMO, changes);

    List<List<Long>> claims = new ArrayList<>();
    try (ExecutorService claimers = Executors.newFixedThreadPool(4)) {
      for (int round = 0; round < 3; round++) {
        CyclicBarrier together = new CyclicBarrier(4);
        List<Future<List<QueuedChange>>> running = new ArrayList<>();
        for (int claimer = 0; claimer < 4; claimer++) {
          JdbcDeliveryQueue relay = claimer % 2 == 0 ? one : other;
          // Chunks of 1,000 rows: a claim of 150 is one statement, 1,500 is two.
          int limit = claimer < 2 ? 150 : 1_500;
          running.add(
              claimers.submit(
                  () -> {
                    together.await();
                    return relay.claim(DEMO, limit, NOW, LEASE);
                  }));
        }
        for (Future<List<QueuedChange>> claim : running) {
          claims.add(claim.get().stream().map(QueuedChange::sequence).sorted().toList());
        }
      }
    }

    // Claims running at once, skipping each other's locked rows, would share the changes out one
    // by one; each worker would then wait on the other for nearly every change of the segment.
    assertThat(claims)
        .allSatisfy(
            sequences -> {
              if (!sequences.isEmpty()) {
                assertThat(sequences.getLast() - sequences.getFirst() + 1)
                    .isEqualTo(sequences.size());
              }
            });
    assertThat(claims.stream().mapToInt(List::size).sum()).isEqualTo(4_000);
  }

  @Test
  void aSegmentWithChangesInFlightIsLeftOutOfOtherClaimsUntilTheySettle() {
    JdbcDeliveryQueue one = relay(100);
    JdbcDeliveryQueue other = relay(100);
    ExternalSegment busy = DomainFixtures.SEGMENT;
    ExternalSegment free = ExternalSegment.of("6921", "90001", "1509");
    one.enqueue(DEMO, List.of(change(busy, "a1"), change(busy, "a2"), change(free, "b1")));
    List<QueuedChange> first = one.claim(DEMO, 1, NOW, LEASE);

    List<QueuedChange> second = other.claim(DEMO, 10, NOW, LEASE);
    assertThat(second).extracting(q -> q.change().segment()).containsOnly(free);
    one.complete(ids(first));
    assertThat(other.claim(DEMO, 10, NOW, LEASE))
        .extracting(q -> q.change().identifiers().getFirst().value())
        .containsExactly("a2");
  }

  private static MembershipChange change(ExternalSegment segment, String user) {
    return new MembershipChange(
        segment, MembershipOperation.ADD, List.of(DomainFixtures.email(user)), NOW);
  }
}

package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.queue.GroupWriter.PendingWrite;
import io.audiencerelay.application.port.out.DeadLetterStore;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The durable queue, on SQLite or PostgreSQL: the ports' face of its parts. Enqueues are made
 * durable in groups by the {@link GroupWriter}, through the database's {@link Acceptance} (the
 * journal on SQLite, a direct insert on PostgreSQL); workers see due changes, claim them with a
 * lease ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so several relays can share the queue) and
 * report each outcome. On SQLite a destination that keeps up is served from the {@link FastLane};
 * every statement is in {@link QueueTables}.
 *
 * <p>Long because it is the ports' whole face: every method of DeliveryQueue and DeliveryBacklog is
 * here, each deciding between the lane and the database.
 */
public final class JdbcDeliveryQueue
    implements DeliveryQueue, DeliveryBacklog, DeadLetterStore, AutoCloseable {
  private static final int WRITE_CHUNK = 1000;
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(5);
  private static final Duration BACKLOG_CATCH_UP_LIMIT = Duration.ofMillis(250);
  // The fast lane: about 25 MB of heap at most, and a few seconds of a destination's changes.
  private static final int LANE_CAPACITY = 50_000;
  private static final long LANE_BYTES = 32L << 20;
  // A claim stops taking changes once they weigh this (FastLane.bytesOf): a claim of changes with
  // many identifiers each must not hold hundreds of megabytes.
  private static final long CLAIM_BYTES = 16L << 20;

  private final Clock clock;
  private final long maxDepthPerDestination;
  private final Duration busyRetryAfter;
  private final QueueTables tables;
  private final QueueCounts counts = new QueueCounts();
  private final Map<String, String> stopped = new ConcurrentHashMap<>();
  private final Acceptance acceptance;
  // Changes on their first way to a destination that keeps up (SQLite only; null on PostgreSQL).
  private final FastLane lane;
  private final GroupWriter writes;
  // This queue's name as a lease holder: only the holder of a row's lease completes, retries or
  // dead-letters it, so a relay that stalled past its lease cannot undo another's work.
  private final String owner = leaseOwnerName();
  // PostgreSQL: every relay's accepts and deliveries move the depth the bound is checked against.
  private final SharedDepths sharedDepths;
  private volatile boolean closed;

  /**
   * @param maxDepthPerDestination beyond this many queued items, a destination's enqueues answer
   *     {@code Retry}
   * @param busyRetryAfter the delay suggested to the platform when the queue is full
   */
  public JdbcDeliveryQueue(
      Database database, Clock clock, long maxDepthPerDestination, Duration busyRetryAfter) {
    this(database, clock, maxDepthPerDestination, busyRetryAfter, LANE_CAPACITY);
  }

  /**
   * @param laneCapacity changes the fast lane holds at most; 0 sends every change to the database
   */
  JdbcDeliveryQueue(
      Database database,
      Clock clock,
      long maxDepthPerDestination,
      Duration busyRetryAfter,
      int laneCapacity) {
    this(database, clock, maxDepthPerDestination, busyRetryAfter, laneCapacity, FileChannel::open);
  }

  /**
   * @param journalChannels opens the journal's segment files: a test puts a failing disk there
   */
  JdbcDeliveryQueue(
      Database database,
      Clock clock,
      long maxDepthPerDestination,
      Duration busyRetryAfter,
      int laneCapacity,
      AcceptJournal.AppendChannels journalChannels) {
    this(
        database,
        clock,
        MonotonicTime.SYSTEM,
        maxDepthPerDestination,
        busyRetryAfter,
        laneCapacity,
        journalChannels);
  }

  /**
   * @param time the elapsed time and waits of the queue's loops: a test may drive them
   */
  JdbcDeliveryQueue(
      Database database,
      Clock clock,
      MonotonicTime time,
      long maxDepthPerDestination,
      Duration busyRetryAfter,
      int laneCapacity,
      AcceptJournal.AppendChannels journalChannels) {
    this.clock = clock;
    this.maxDepthPerDestination = maxDepthPerDestination;
    this.busyRetryAfter = busyRetryAfter;
    Optional<Path> sqliteFile = database.sqliteFile();
    this.tables = new QueueTables(database, sqliteFile.isPresent());
    counts.databaseHolds(tables.depths());
    if (sqliteFile.isPresent()) {
      this.lane = new FastLane(laneCapacity, LANE_BYTES);
      this.acceptance =
          new JournalAcceptance(
              sqliteFile.get(),
              tables,
              counts,
              lane,
              clock,
              time,
              journalChannels,
              this::writerClosed,
              this::writerAlive);
    } else {
      this.lane = null;
      this.acceptance = new DirectAcceptance(tables, counts, clock);
    }
    this.writes = new GroupWriter(acceptance::store, time, this::guarded);
    acceptance.start(this::guarded);
    this.sharedDepths =
        sqliteFile.isPresent() ? null : SharedDepths.start(tables, counts, time, this::guarded);
  }

  /** The process and a random part: unique among the relays that share a database. */
  private static String leaseOwnerName() {
    return "relay-"
        + ProcessHandle.current().pid()
        + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  /** The name this queue's leases carry in the database ({@code lease_owner}). */
  String leaseOwner() {
    return owner;
  }

  private boolean writerClosed() {
    return writes.closed();
  }

  private boolean writerAlive() {
    return writes.isAlive();
  }

  /**
   * A background loop that records its death: a loop that stops for good (an error no iteration
   * could handle) leaves the queue unable to store or deliver, and the relay's status says so.
   */
  private Runnable guarded(String part, Runnable loop) {
    return () -> {
      try {
        loop.run();
      } catch (Throwable fatal) {
        stopped.put(
            part,
            fatal.getClass().getSimpleName()
                + (fatal.getMessage() == null ? "" : ": " + fatal.getMessage()));
        // Whoever waits for the writer is told at once, not after the watchdog's bound.
        if (writes != null) {
          writes.failWaiting(new IllegalStateException(part + " stopped"));
        }
        throw fatal;
      }
    };
  }

  @Override
  public List<String> stoppedParts() {
    return stopped.entrySet().stream().map(e -> e.getKey() + " stopped: " + e.getValue()).toList();
  }

  /** Where the accept journal of a SQLite database lives: beside it. */
  static Path journalDirectory(Path databaseFile) {
    return JournalAcceptance.journalDirectory(databaseFile);
  }

  /** How many times in a row the ingester could not move the journal into the database. */
  long ingestFailuresInARow() {
    return acceptance instanceof JournalAcceptance journal ? journal.failuresInARow() : 0;
  }

  /** Whether accepts go through the journal (SQLite) rather than straight into the database. */
  public boolean journaled() {
    return acceptance instanceof JournalAcceptance;
  }

  /**
   * Called with a destination each time the database takes accepted updates for it from the
   * journal, so its workers can look at once instead of at their next poll.
   */
  public void whenIngested(Consumer<DestinationName> listener) {
    if (acceptance instanceof JournalAcceptance journal) {
      journal.whenIngested(listener);
    }
  }

  // --- accepting ---

  @Override
  public EnqueueOutcome enqueue(DestinationName destination, List<MembershipChange> changes) {
    if (closed) {
      return new EnqueueOutcome.Retry(busyRetryAfter, "the relay is shutting down");
    }
    if (!stopped.isEmpty()) {
      return new EnqueueOutcome.Retry(
          busyRetryAfter, "the queue cannot store updates now (" + stopped.keySet() + " stopped)");
    }
    if (counts.depthOf(destination).get() >= maxDepthPerDestination) {
      return new EnqueueOutcome.Retry(
          busyRetryAfter,
          "the queue of destination '"
              + destination
              + "' is full ("
              + maxDepthPerDestination
              + " items)");
    }
    ByteBuffer record = acceptance.record(destination, changes, clock.millis());
    PendingWrite write = writes.pending(destination, changes, record);
    if (!writes.offer(write)) {
      return new EnqueueOutcome.Retry(busyRetryAfter, "the queue writer is saturated");
    }
    try {
      // Untimed: a timed wait schedules and cancels a timer per request, a measurable share of the
      // accept path (docs/PERFORMANCE.md); the writer's watchdog bounds every wait instead.
      write.done().get();
      return new EnqueueOutcome.Accepted();
    } catch (ExecutionException e) {
      // Not stored: the platform keeps the update and sends it again.
      return new EnqueueOutcome.Retry(busyRetryAfter, "the queue could not store the update");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new EnqueueOutcome.Retry(busyRetryAfter, "interrupted while storing the update");
    }
  }

  /** Fails the writes handed over more than {@code timeout} before {@code now} and not yet done. */
  static void failOverdue(Iterable<PendingWrite> writes, long now, Duration timeout) {
    GroupWriter.failOverdue(writes, now, timeout);
  }

  // --- delivering ---

  @Override
  public DueItems due(DestinationName destination, Instant now, int atMost) {
    acceptance.catchUp(CATCH_UP_LIMIT);
    if (lane == null) {
      return tables.due(destination, now, atMost);
    }
    DueItems inLane = lane.due(destination, now, atMost);
    if (inLane.count() >= atMost || counts.inDatabaseOf(destination).get() == 0) {
      return inLane;
    }
    DueItems stored = tables.due(destination, now, (int) (atMost - inLane.count()));
    if (inLane.count() == 0) {
      return stored;
    }
    Instant oldest = inLane.oldestEnqueuedAt();
    if (stored.oldestEnqueuedAt() != null && stored.oldestEnqueuedAt().isBefore(oldest)) {
      oldest = stored.oldestEnqueuedAt();
    }
    return new DueItems(inLane.count() + stored.count(), oldest);
  }

  /**
   * Leases from the fast lane first, then from the database in one transaction of statements of
   * {@value #WRITE_CHUNK} rows (see {@link QueueTables#claim} for why a claim is one transaction).
   */
  @Override
  public List<QueuedChange> claim(
      DestinationName destination, int limit, Instant now, Duration lease) {
    acceptance.catchUp(CATCH_UP_LIMIT);
    List<QueuedChange> claimed = new ArrayList<>(Math.min(limit, 10_000));
    Map<Long, String> unreadable = new LinkedHashMap<>();
    long bytes = 0;
    if (lane != null) {
      claimed.addAll(lane.claim(destination, limit, CLAIM_BYTES, now, lease, unreadable));
      bytes = weight(claimed);
    }
    if ((lane == null || counts.inDatabaseOf(destination).get() > 0)
        && claimed.size() < limit
        && bytes < CLAIM_BYTES) {
      claimed.addAll(
          tables.claim(
              destination,
              limit - claimed.size(),
              WRITE_CHUNK,
              CLAIM_BYTES - bytes,
              JdbcDeliveryQueue::weight,
              now,
              lease,
              owner,
              unreadable));
    }
    // A change stored in a form this version no longer reads (an id with a control character,
    // accepted before ids were checked for them) must not block the ones behind it.
    unreadable.forEach(
        (id, reason) -> deadLetter(List.of(id), "unreadable stored change: " + reason, now));
    claimed.sort(Comparator.comparingLong(QueuedChange::id));
    return claimed;
  }

  /** What claimed changes weigh, counted as the lane counts them. */
  private static long weight(List<QueuedChange> changes) {
    long bytes = 0;
    for (QueuedChange change : changes) {
      bytes += 256;
      for (var identifier : change.change().identifiers()) {
        bytes += 2L * (identifier.type().length() + identifier.value().length() + 8);
      }
    }
    return bytes;
  }

  @Override
  public void complete(List<Long> ids) {
    if (lane != null) {
      lane.resolve(laneIds(ids))
          .forEach((destination, count) -> counts.depthOf(destination).addAndGet(-count));
      ids = databaseIds(ids);
    }
    // Chunked transactions: SQLite has one write lock, and one long delivery transaction would hold
    // up the ingest of accepted updates behind it.
    for (int from = 0; from < ids.size(); from += WRITE_CHUNK) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + WRITE_CHUNK));
      counts.removed(
          tables.transaction(connection -> tables.deleteCounted(connection, chunk, owner)));
    }
  }

  @Override
  public void retry(List<Long> ids, Instant nextAttemptAt, String error) {
    reschedule(ids, nextAttemptAt, error, 1);
  }

  @Override
  public void postpone(List<Long> ids, Instant nextAttemptAt, String error) {
    reschedule(ids, nextAttemptAt, error, 0);
  }

  private void reschedule(List<Long> ids, Instant nextAttemptAt, String error, int spentAttempts) {
    if (ids.isEmpty()) {
      return;
    }
    // Changes from the lane go into the database, where retries wait.
    inDatabase(
        ids,
        (connection, all) -> {
          tables.reschedule(connection, all, owner, nextAttemptAt, error, spentAttempts);
          return null;
        });
  }

  @Override
  public void deadLetter(List<Long> ids, String error, Instant now) {
    if (ids.isEmpty()) {
      return;
    }
    counts.removed(
        inDatabase(
            ids, (connection, all) -> tables.deadLetter(connection, all, owner, error, now)));
  }

  /**
   * Runs {@code work} in one transaction on the database ids of {@code ids}. Changes among them
   * that are in the fast lane are inserted first, in the same transaction, and leave the lane once
   * it commits.
   */
  private <T> T inDatabase(List<Long> ids, StoredWork<T> work) {
    FromLane fromLane =
        new FromLane(lane == null ? Map.of() : lane.takeLeased(laneIds(ids)), lane, tables, counts);
    List<Long> stored = lane == null ? ids : databaseIds(ids);
    T result;
    try {
      result =
          tables.transaction(
              connection -> {
                List<Long> all = new ArrayList<>(stored);
                all.addAll(fromLane.insert(connection, owner));
                return work.apply(connection, all);
              });
    } catch (RuntimeException e) {
      fromLane.putBack();
      throw e;
    }
    fromLane.stored();
    return result;
  }

  @FunctionalInterface
  private interface StoredWork<T> {
    T apply(Connection connection, List<Long> ids) throws SQLException;
  }

  @Override
  public Optional<EarlierChange> earlierChange(
      DestinationName destination, ExternalSegment segment, List<Long> sequences, Instant now) {
    long last = sequences.getLast();
    Set<Long> own = new HashSet<>(sequences);
    if (lane != null) {
      var inLane =
          lane.earlierChange(
              destination, segment.feedId().value(), segment.segmentId().value(), last, own);
      if (inLane.isPresent()) {
        return inLane;
      }
      if (counts.inDatabaseOf(destination).get() == 0) {
        return Optional.empty();
      }
    }
    return tables.earlierChange(destination, segment, last, own, now);
  }

  // --- what the queue holds ---

  @Override
  public List<DestinationBacklog> backlog(Instant now) {
    // Asked for metrics and troubleshooting: wait briefly at most, and count what is still only
    // in the journal.
    acceptance.catchUp(BACKLOG_CATCH_UP_LIMIT);
    List<DestinationBacklog> backlog = tables.backlog(counts::nameOf);
    if (sharedDepths != null) {
      // PostgreSQL: every change is in the database, and SharedDepths alone moves the counters to
      // its counts (keeping what this relay stored while it read).
      return backlog;
    }
    // The database's count is the truth: local counters follow it, plus what this relay's journal
    // and lane hold that the database does not have yet.
    counts.restartDepthsFromJournal();
    Map<DestinationName, DueItems> inLane = lane == null ? Map.of() : lane.depths();
    inLane.forEach((destination, items) -> counts.depthOf(destination).addAndGet(items.count()));
    List<DestinationBacklog> counted = new ArrayList<>(backlog.size() + inLane.size());
    for (DestinationBacklog b : backlog) {
      long total = counts.depthOf(b.destination()).addAndGet(b.depth());
      Instant oldest = b.oldestEnqueuedAt();
      DueItems laneItems = inLane.get(b.destination());
      if (laneItems != null && laneItems.oldestEnqueuedAt().isBefore(oldest)) {
        oldest = laneItems.oldestEnqueuedAt();
      }
      counted.add(new DestinationBacklog(b.destination(), total, oldest, b.lastError()));
    }
    inLane.forEach(
        (destination, items) -> {
          if (backlog.stream().noneMatch(b -> b.destination().equals(destination))) {
            counted.add(
                new DestinationBacklog(
                    destination,
                    counts.depthOf(destination).get(),
                    items.oldestEnqueuedAt(),
                    null));
          }
        });
    return counted;
  }

  @Override
  public List<DeadLetter> deadLetters(DestinationName destination, int limit) {
    return tables.deadLetters(destination, limit);
  }

  @Override
  public List<DeadLetter> newest(DeadLetterQuery query, int limit) {
    return tables.newestDeadLetters(query, limit);
  }

  @Override
  public List<DeadLetter> after(DeadLetterQuery query, long afterId, int limit) {
    return tables.deadLettersAfter(query, afterId, limit);
  }

  @Override
  public long count(DeadLetterQuery query) {
    return tables.countDeadLetters(query);
  }

  @Override
  public int remove(List<Long> ids) {
    return tables.removeDeadLetters(ids);
  }

  /** Stops taking enqueues, waits for the writer to store what it holds, then settles the rest. */
  @Override
  public void close() {
    closed = true;
    if (sharedDepths != null) {
      sharedDepths.close();
    }
    try {
      writes.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    acceptance.close();
  }

  private static List<Long> laneIds(List<Long> ids) {
    List<Long> fromLane = new ArrayList<>();
    for (Long id : ids) {
      if (id < 0) {
        fromLane.add(id);
      }
    }
    return fromLane;
  }

  private static List<Long> databaseIds(List<Long> ids) {
    List<Long> stored = new ArrayList<>(ids.size());
    for (Long id : ids) {
      if (id >= 0) {
        stored.add(id);
      }
    }
    return stored;
  }
}

package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.adapters.storage.jdbc.StorageException;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable queue, on SQLite or PostgreSQL. Enqueues from concurrent requests are grouped: one
 * writer thread takes every pending enqueue, makes the whole group durable in one write, then
 * answers them all; a request is answered {@code Accepted} only after that write.
 *
 * <p>On SQLite the write is an append to the {@link AcceptJournal}, forced to disk; an ingester
 * thread moves the journal's records into the database in large transactions, recording how far it
 * got in the same transaction, so a crash neither loses nor repeats one. Reads that workers make
 * (due items, claims, backlog) first wait until the database holds every update accepted before
 * them. On PostgreSQL, which several relays may share, the group is inserted and committed
 * directly: an update must not wait on one relay's local disk.
 *
 * <p>Workers lease due items ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, so several relays can
 * share the queue).
 */
public final class JdbcDeliveryQueue implements DeliveryQueue, DeliveryBacklog, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(JdbcDeliveryQueue.class.getName());
  private static final int MAX_GROUP = 512;
  private static final int DELETE_CHUNK = 500;
  private static final int WRITE_CHUNK = 1000;
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration WATCH_EVERY = Duration.ofSeconds(1);

  // One ingest transaction's share of the journal (~4,000 changes). At 4 MB, ~30,000 decoded rows
  // lived across one commit; G1 promoted them and had to mark them (Mapp add's GC pauses).
  private static final int INGEST_BYTES = 512 << 10;
  private static final long JOURNAL_SEGMENT_BYTES = 64L << 20;
  private static final Duration INGEST_IDLE = Duration.ofMillis(50);
  // A database transaction costs a sync: under load, gather a few milliseconds of accepts into one.
  private static final Duration INGEST_GATHER = Duration.ofMillis(10);
  private static final int INGEST_GATHER_BYTES = 1 << 20;
  private static final Duration INGEST_FAILURE_PAUSE = Duration.ofSeconds(1);
  private static final int INGEST_FAILURES_PER_REPORT = 60;
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(5);
  private static final Duration BACKLOG_CATCH_UP_LIMIT = Duration.ofMillis(250);
  // The fast lane: about 25 MB of heap at most, and a few seconds of a destination's changes.
  private static final int LANE_CAPACITY = 50_000;
  private static final long LANE_BYTES = 32L << 20;
  // A claim stops taking changes once they weigh this (FastLane.bytesOf): a claim of changes with
  // many identifiers each must not hold hundreds of megabytes.
  private static final long CLAIM_BYTES = 16L << 20;
  private static final Duration LANE_MAX_WAIT = Duration.ofSeconds(2);
  // How often the journal position is stored when only the lane moved it (a database commit).
  private static final Duration POSITION_EVERY = Duration.ofMillis(200);
  // PostgreSQL numbers the acceptance order itself (seq's default); on SQLite it comes from the
  // journal position.
  private static final String INSERT =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)";
  private static final String INSERT_WITH_SEQ =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at, seq)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";

  /**
   * An enqueue waiting for the writer; {@code record} is its journal record (SQLite only), {@code
   * offeredAt} when it was handed over ({@link System#nanoTime}).
   */
  record PendingWrite(
      DestinationName destination,
      List<MembershipChange> changes,
      ByteBuffer record,
      CompletableFuture<Void> done,
      long offeredAt) {}

  private final Database database;
  private final AcceptJournal.AppendChannels journalChannels;
  private final Jdbc jdbc;
  private final Clock clock;
  private final long maxDepthPerDestination;
  private final Duration busyRetryAfter;
  private final BlockingQueue<PendingWrite> pending = new ArrayBlockingQueue<>(16_384);
  private final Map<DestinationName, AtomicLong> depth = new ConcurrentHashMap<>();
  private final Map<String, DestinationName> names = new ConcurrentHashMap<>();
  private final Map<String, String> stopped = new ConcurrentHashMap<>();
  private final Thread writer;
  // The group the writer is storing now, for the watchdog.
  private volatile List<PendingWrite> writing = List.of();
  private volatile boolean closed;
  // The journal's side (SQLite only; null on PostgreSQL).
  private final AcceptJournal journal;
  private final Map<DestinationName, AtomicLong> notYetIngested = new ConcurrentHashMap<>();
  private final Object ingestProgress = new Object();
  private final Thread ingester;
  private volatile long ingestedThrough;
  private volatile int failuresInARow;
  private volatile boolean abandonIngest;
  // Set while a reader waits in catchUp: the ingester then goes at once instead of gathering.
  private volatile boolean awaited;
  private volatile Consumer<DestinationName> onIngested = destination -> {};
  // Changes on their first way to a destination that keeps up (SQLite only; null on PostgreSQL).
  private final FastLane lane;
  // The ingester's: the repeating columns of the changes it reads share their strings.
  private final RepeatedStrings sharedColumns = new RepeatedStrings();
  // Rows each destination has in the database: while it has any, its changes skip the lane.
  private final Map<DestinationName, AtomicLong> inDatabase = new ConcurrentHashMap<>();
  // The journal position stored in the database, and when (the ingester's).
  private volatile long appliedThrough;
  private long appliedStoredAt;

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
    this.journalChannels = journalChannels;
    this.database = database;
    this.jdbc = new Jdbc(database);
    this.clock = clock;
    this.maxDepthPerDestination = maxDepthPerDestination;
    this.busyRetryAfter = busyRetryAfter;
    this.lane = database.sqliteFile().isPresent() ? new FastLane(laneCapacity, LANE_BYTES) : null;
    this.journal = database.sqliteFile().map(this::openJournal).orElse(null);
    refreshDepths();
    this.writer =
        Thread.ofPlatform()
            .name("relay-queue-writer")
            .daemon(true)
            .start(guarded("the queue writer", this::writeLoop));
    Thread.ofPlatform()
        .name("relay-queue-watchdog")
        .daemon(true)
        .start(guarded("the queue watchdog", this::watchLoop));
    this.ingester =
        journal == null
            ? null
            : Thread.ofPlatform()
                .name("relay-queue-ingester")
                .daemon(true)
                .start(guarded("the journal ingester", this::ingestLoop));
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
        for (Iterable<PendingWrite> waiting : List.of(writing, pending)) {
          for (PendingWrite write : waiting) {
            write.done().completeExceptionally(new IllegalStateException(part + " stopped"));
          }
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
    return databaseFile.resolveSibling(databaseFile.getFileName() + ".accepts");
  }

  /** How many times in a row the ingester could not move the journal into the database. */
  int ingestFailuresInARow() {
    return failuresInARow;
  }

  /** Whether accepts go through the journal (SQLite) rather than straight into the database. */
  public boolean journaled() {
    return journal != null;
  }

  /**
   * Called with a destination each time the database takes accepted updates for it from the
   * journal, so its workers can look at once instead of at their next poll.
   */
  public void whenIngested(Consumer<DestinationName> listener) {
    this.onIngested = listener;
  }

  // --- accept side ---

  @Override
  public EnqueueOutcome enqueue(DestinationName destination, List<MembershipChange> changes) {
    if (closed) {
      return new EnqueueOutcome.Retry(busyRetryAfter, "the relay is shutting down");
    }
    if (!stopped.isEmpty()) {
      return new EnqueueOutcome.Retry(
          busyRetryAfter, "the queue cannot store updates now (" + stopped.keySet() + " stopped)");
    }
    if (depthOf(destination).get() >= maxDepthPerDestination) {
      return new EnqueueOutcome.Retry(
          busyRetryAfter,
          "the queue of destination '"
              + destination
              + "' is full ("
              + maxDepthPerDestination
              + " items)");
    }
    ByteBuffer record =
        journal == null ? null : JournalRecords.record(destination, changes, clock.millis());
    PendingWrite write =
        new PendingWrite(
            destination, changes, record, new CompletableFuture<>(), System.nanoTime());
    if (!pending.offer(write)) {
      return new EnqueueOutcome.Retry(busyRetryAfter, "the queue writer is saturated");
    }
    try {
      // Untimed: a timed wait schedules and cancels a timer per request, which cost a fifth of the
      // accept path's throughput; the watchdog bounds every wait instead.
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

  private void writeLoop() {
    List<PendingWrite> group = new ArrayList<>(MAX_GROUP);
    while (!closed || !pending.isEmpty()) {
      try {
        PendingWrite first = pending.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        pending.drainTo(group, MAX_GROUP - 1);
        writing = List.copyOf(group);
        if (journal != null) {
          appendGroup(group);
        } else {
          writeGroup(group);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        group.clear();
      }
    }
  }

  /**
   * Answers {@code Retry} to every enqueue not stored within {@link #WRITE_TIMEOUT} (a disk or a
   * database that hangs): the platform keeps the update and sends it again.
   */
  private void watchLoop() {
    while (!closed || writer.isAlive()) {
      LockSupport.parkNanos(this, WATCH_EVERY.toNanos());
      long now = System.nanoTime();
      failOverdue(writing, now, WRITE_TIMEOUT);
      failOverdue(pending, now, WRITE_TIMEOUT);
    }
  }

  /** Fails the writes handed over more than {@code timeout} before {@code now} and not yet done. */
  static void failOverdue(Iterable<PendingWrite> writes, long now, Duration timeout) {
    for (PendingWrite write : writes) {
      if (now - write.offeredAt() > timeout.toNanos() && !write.done().isDone()) {
        write.done().completeExceptionally(new TimeoutException("not stored within " + timeout));
      }
    }
  }

  /** PostgreSQL: inserts the group and commits once. */
  private void writeGroup(List<PendingWrite> group) {
    long now = clock.millis();
    List<JournalRecords.QueueRow> rows = new ArrayList<>();
    for (PendingWrite write : group) {
      for (MembershipChange change : write.changes()) {
        rows.add(JournalRecords.QueueRow.of(write.destination(), change, now));
      }
    }
    try {
      jdbc.transaction(
          connection -> {
            insert(connection, rows);
            return null;
          });
    } catch (RuntimeException e) {
      failGroup(group, e);
      return;
    }
    for (PendingWrite write : group) {
      depthOf(write.destination()).addAndGet(write.changes().size());
      write.done().complete(null);
    }
  }

  /** SQLite: appends the group to the journal and forces it to disk once. */
  private void appendGroup(List<PendingWrite> group) {
    try {
      List<ByteBuffer> records = new ArrayList<>(group.size());
      for (PendingWrite write : group) {
        records.add(write.record());
      }
      journal.appendDurably(records);
    } catch (IOException | RuntimeException e) {
      failGroup(group, e);
      return;
    }
    for (PendingWrite write : group) {
      int count = write.changes().size();
      depthOf(write.destination()).addAndGet(count);
      notYetIngested.computeIfAbsent(write.destination(), d -> new AtomicLong()).addAndGet(count);
      write.done().complete(null);
    }
    LockSupport.unpark(ingester);
  }

  private void failGroup(List<PendingWrite> group, Exception e) {
    LOG.log(
        Level.SEVERE, e, () -> "could not store " + group.size() + " enqueue(s) in " + database);
    for (PendingWrite write : group) {
      write.done().completeExceptionally(e);
    }
  }

  private void insert(Connection connection, List<JournalRecords.QueueRow> rows)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(insertSql())) {
      for (JournalRecords.QueueRow row : rows) {
        bind(insert, row);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private String insertSql() {
    return journal == null ? INSERT : INSERT_WITH_SEQ;
  }

  private void bind(PreparedStatement insert, JournalRecords.QueueRow row) throws SQLException {
    insert.setString(1, row.destination());
    insert.setString(2, row.feedId());
    insert.setString(3, row.segmentId());
    insert.setString(4, row.datamartId());
    insert.setString(5, row.operation());
    insert.setString(6, row.identifiers());
    insert.setLong(7, row.observedAt());
    insert.setLong(8, row.enqueuedAt());
    insert.setLong(9, row.enqueuedAt());
    if (journal != null) {
      insert.setLong(10, row.sequence());
    }
  }

  // --- journal to database ---

  private AcceptJournal openJournal(Path databaseFile) {
    Path directory = journalDirectory(databaseFile);
    try {
      appliedThrough =
          jdbc.query(
              "SELECT applied_through FROM accept_journal WHERE id = 1",
              statement -> {},
              rows -> rows.next() ? rows.getLong(1) : 0L);
      ingestedThrough = appliedThrough;
      AcceptJournal opened =
          AcceptJournal.open(directory, ingestedThrough, JOURNAL_SEGMENT_BYTES, journalChannels);
      // Updates accepted before a stop or a crash go into the database before anything else.
      long unappliedBytes = opened.durableEnd() - ingestedThrough;
      if (unappliedBytes > 0) {
        // Said before and after: a large journal holds the start up, and whoever waits sees why.
        long started = System.nanoTime();
        LOG.info(
            () -> "moving " + unappliedBytes + " bytes of accepted updates from the journal first");
        while (ingestedThrough < opened.durableEnd()) {
          ingest(opened, opened.durableEnd(), false);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "accepted updates moved in " + millis + " ms");
      }
      return opened;
    } catch (IOException e) {
      throw new StorageException("cannot open the accept journal " + directory, e);
    }
  }

  private void ingestLoop() {
    long lastIngest = 0;
    while (!abandonIngest) {
      long end = journal.durableEnd();
      if (ingestedThrough >= end) {
        if (closed && !writer.isAlive() && journal.durableEnd() == end) {
          return;
        }
        try {
          tendLane();
        } catch (RuntimeException e) {
          // Nothing is lost: the changes stay in the lane and the journal holds them.
          LOG.log(Level.WARNING, e, () -> "could not move waiting changes into " + database);
          LockSupport.parkNanos(this, INGEST_FAILURE_PAUSE.toNanos());
        }
        LockSupport.parkNanos(this, INGEST_IDLE.toNanos());
        continue;
      }
      long gathering = lastIngest + INGEST_GATHER.toNanos() - System.nanoTime();
      if (gathering > 0 && end - ingestedThrough < INGEST_GATHER_BYTES && !closed && !awaited) {
        LockSupport.parkNanos(this, gathering);
        continue;
      }
      try {
        lastIngest = System.nanoTime();
        boolean stopping = closed;
        if (stopping && lane.size() > 0) {
          // What the lane holds came first: it goes into the database before the rest.
          drainLane();
        }
        ingest(journal, end, !stopping);
        tendLane();
        if (failuresInARow > 0) {
          int failures = failuresInARow;
          LOG.info(
              () ->
                  "accepted updates move into "
                      + database
                      + " again, after "
                      + failures
                      + " failed tries");
          failuresInARow = 0;
        }
      } catch (IOException | RuntimeException e) {
        // Nothing is lost: the records stay in the journal and are tried again, every second. The
        // first failure is logged in full, then one line a minute while it lasts.
        failuresInARow++;
        if (failuresInARow == 1) {
          LOG.log(Level.SEVERE, e, () -> "could not move accepted updates into " + database);
        } else if (failuresInARow % INGEST_FAILURES_PER_REPORT == 0) {
          int failures = failuresInARow;
          LOG.severe(
              () ->
                  "still cannot move accepted updates into "
                      + database
                      + " ("
                      + failures
                      + " tries; they wait in the journal): "
                      + e);
        }
        LockSupport.parkNanos(this, INGEST_FAILURE_PAUSE.toNanos());
      }
    }
  }

  /**
   * Moves one transaction's worth of records out of the journal: into the fast lane for a
   * destination that has nothing in the database while the lane has room, into the database
   * otherwise, with the journal position before which every change has left the lane.
   */
  private void ingest(AcceptJournal from, long end, boolean useLane) throws IOException {
    long start = ingestedThrough;
    List<JournalRecords.QueueRow> rows = new ArrayList<>();
    long next =
        from.read(
            start,
            end,
            INGEST_BYTES,
            (position, payload) ->
                JournalRecords.decode(position, payload, sharedColumns, rows::add));
    if (next == start) {
      throw new IOException("accept journal: no record readable at position " + next);
    }
    Map<DestinationName, List<JournalRecords.QueueRow>> toLane = new java.util.LinkedHashMap<>();
    List<JournalRecords.QueueRow> toDatabase = useLane ? new ArrayList<>() : rows;
    Map<DestinationName, Integer> counts = new java.util.HashMap<>();
    java.util.Set<DestinationName> laneClosed = new java.util.HashSet<>();
    for (JournalRecords.QueueRow row : rows) {
      DestinationName destination = nameOf(row.destination());
      counts.merge(destination, 1, Integer::sum);
      if (!useLane) {
        continue;
      }
      // Once one of a destination's changes goes to the database, the later ones follow it there.
      if (!laneClosed.contains(destination)
          && inDatabaseOf(destination).get() == 0
          && lane.reserve(row)) {
        toLane.computeIfAbsent(destination, d -> new ArrayList<>()).add(row);
      } else {
        laneClosed.add(destination);
        toDatabase.add(row);
      }
    }
    int reserved = rows.size() - toDatabase.size();
    // The lane's changes hold the journal from this chunk's start until each has left the lane.
    long applied = lane.appliedThrough(reserved > 0 ? start : next);
    boolean storePosition =
        applied > appliedThrough
            && (!toDatabase.isEmpty()
                || System.nanoTime() - appliedStoredAt >= POSITION_EVERY.toNanos());
    if (!toDatabase.isEmpty() || storePosition) {
      try {
        insertThrough(toDatabase, applied);
      } catch (RuntimeException e) {
        lane.unreserve(toLane.values());
        throw e;
      }
      appliedThrough = applied;
      appliedStoredAt = System.nanoTime();
    }
    for (JournalRecords.QueueRow row : toDatabase) {
      inDatabaseOf(nameOf(row.destination())).incrementAndGet();
    }
    lane.add(start, toLane);
    synchronized (ingestProgress) {
      ingestedThrough = next;
      awaited = false;
      counts.forEach(
          (destination, count) -> {
            AtomicLong waiting = notYetIngested.get(destination);
            if (waiting != null) {
              waiting.addAndGet(-count);
            }
          });
      ingestProgress.notifyAll();
    }
    from.release(appliedThrough);
    counts.keySet().forEach(onIngested);
  }

  /**
   * Inserts rows and stores the journal position before which every change is delivered or in the
   * database, in one transaction.
   */
  private void insertThrough(List<JournalRecords.QueueRow> rows, long applied) {
    jdbc.transaction(
        connection -> {
          if (!rows.isEmpty()) {
            insert(connection, rows);
          }
          try (PreparedStatement position =
              connection.prepareStatement(
                  "UPDATE accept_journal SET applied_through = ? WHERE id = 1")) {
            position.setLong(1, applied);
            position.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Moves to the database the lane's changes of a destination that has not taken them within {@link
   * #LANE_MAX_WAIT} (it is paused or slow: the journal must not grow behind it), then stores how
   * far the lane let the journal go and releases the journal up to there.
   */
  private void tendLane() {
    if (lane.size() > 0) {
      long acceptedBefore = clock.millis() - LANE_MAX_WAIT.toMillis();
      for (DestinationName destination : lane.destinations()) {
        List<FastLane.Held> taken = lane.takeWaitingIfOlder(destination, acceptedBefore);
        if (!taken.isEmpty()) {
          new FromLane(Map.of(destination, taken)).storeThrough(appliedThrough);
        }
      }
    }
    long applied = lane.appliedThrough(ingestedThrough);
    if (applied > appliedThrough
        && System.nanoTime() - appliedStoredAt >= POSITION_EVERY.toNanos()) {
      insertThrough(List.of(), applied);
      appliedThrough = applied;
      appliedStoredAt = System.nanoTime();
      journal.release(applied);
    }
  }

  /**
   * Waits until the database holds every update accepted so far, so a read after an {@code
   * Accepted} sees it. Bounded: if the database cannot take them, the read goes on without.
   */
  private void catchUp(Duration limit) {
    if (journal == null) {
      return;
    }
    long target = journal.durableEnd();
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (ingestProgress) {
      while (ingestedThrough < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        awaited = true;
        LockSupport.unpark(ingester);
        try {
          TimeUnit.NANOSECONDS.timedWait(ingestProgress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  // --- worker side ---

  @Override
  public DueItems due(DestinationName destination, Instant now, int atMost) {
    catchUp(CATCH_UP_LIMIT);
    if (lane == null) {
      return dueInDatabase(destination, now, atMost);
    }
    DueItems inLane = lane.due(destination, now, atMost);
    if (inLane.count() >= atMost || inDatabaseOf(destination).get() == 0) {
      return inLane;
    }
    DueItems stored = dueInDatabase(destination, now, (int) (atMost - inLane.count()));
    if (inLane.count() == 0) {
      return stored;
    }
    Instant oldest = inLane.oldestEnqueuedAt();
    if (stored.oldestEnqueuedAt() != null && stored.oldestEnqueuedAt().isBefore(oldest)) {
      oldest = stored.oldestEnqueuedAt();
    }
    return new DueItems(inLane.count() + stored.count(), oldest);
  }

  private DueItems dueInDatabase(DestinationName destination, Instant now, int atMost) {
    // Both queries walk the due index in order and stop early: their cost follows the batch, not
    // the queue's depth.
    String due =
        " FROM delivery_queue WHERE destination = ? AND next_attempt_at <= ?"
            + " AND (leased_until IS NULL OR leased_until < ?)";
    Jdbc.Binder bind =
        statement -> {
          statement.setString(1, destination.value());
          statement.setLong(2, now.toEpochMilli());
          statement.setLong(3, now.toEpochMilli());
        };
    Instant first =
        jdbc.query(
            "SELECT enqueued_at" + due + " ORDER BY next_attempt_at, id LIMIT 1",
            bind,
            rows -> rows.next() ? Instant.ofEpochMilli(rows.getLong(1)) : null);
    if (first == null) {
      return new DueItems(0, null);
    }
    long count =
        jdbc.query(
            "SELECT count(*) FROM (SELECT 1"
                + due
                + " LIMIT "
                + Math.max(1, atMost)
                + ") AS due_items",
            bind,
            rows -> rows.next() ? rows.getLong(1) : 0L);
    return new DueItems(count, first);
  }

  /**
   * Leases in transactions of at most {@value #WRITE_CHUNK} rows: SQLite has one write lock, and a
   * long delivery transaction would hold up the acceptance of new updates behind it.
   */
  @Override
  public List<QueuedChange> claim(
      DestinationName destination, int limit, Instant now, Duration lease) {
    catchUp(CATCH_UP_LIMIT);
    List<QueuedChange> claimed = new ArrayList<>(Math.min(limit, 10_000));
    Map<Long, String> unreadable = new java.util.LinkedHashMap<>();
    long bytes = 0;
    if (lane != null) {
      claimed.addAll(lane.claim(destination, limit, CLAIM_BYTES, now, lease, unreadable));
      bytes = weight(claimed);
    }
    if (lane == null || inDatabaseOf(destination).get() > 0) {
      while (claimed.size() < limit && bytes < CLAIM_BYTES) {
        int wanted = Math.min(WRITE_CHUNK, limit - claimed.size());
        int before = unreadable.size();
        List<QueuedChange> chunk = claimChunk(destination, wanted, now, lease, unreadable);
        claimed.addAll(chunk);
        bytes += weight(chunk);
        if (chunk.size() + unreadable.size() - before < wanted) {
          break;
        }
      }
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

  private List<QueuedChange> claimChunk(
      DestinationName destination,
      int limit,
      Instant now,
      Duration lease,
      Map<Long, String> unreadable) {
    String lock =
        database.dialect() == Database.Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    String sql =
        "UPDATE delivery_queue SET leased_until = ? WHERE id IN (SELECT id FROM delivery_queue"
            + " WHERE destination = ? AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until < ?)"
            + " ORDER BY next_attempt_at, id LIMIT ?"
            + lock
            + ") RETURNING id, feed_id, segment_id, datamart_id, operation, identifiers, observed_at, attempts,"
            + " enqueued_at, seq";
    return jdbc.transaction(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, now.plus(lease).toEpochMilli());
            statement.setString(2, destination.value());
            statement.setLong(3, now.toEpochMilli());
            statement.setLong(4, now.toEpochMilli());
            statement.setInt(5, limit);
            List<QueuedChange> items = new ArrayList<>(limit);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                try {
                  items.add(queuedChange(destination, rows));
                } catch (IllegalArgumentException | IllegalStateException e) {
                  unreadable.put(rows.getLong(1), e.getMessage());
                }
              }
            }
            return items;
          }
        });
  }

  @Override
  public void complete(List<Long> ids) {
    if (lane != null) {
      lane.resolve(laneIds(ids))
          .forEach((destination, count) -> depthOf(destination).addAndGet(-count));
      ids = databaseIds(ids);
    }
    // Chunked transactions, for the same reason as claims.
    for (int from = 0; from < ids.size(); from += WRITE_CHUNK) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + WRITE_CHUNK));
      Map<String, Integer> removed =
          jdbc.transaction(connection -> deleteCounted(connection, chunk));
      countRemoved(removed);
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
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "UPDATE delivery_queue SET attempts = attempts + ?, next_attempt_at = ?, leased_until = NULL,"
                      + " last_error = ? WHERE id = ?")) {
            for (long id : all) {
              statement.setInt(1, spentAttempts);
              statement.setLong(2, nextAttemptAt.toEpochMilli());
              statement.setString(3, truncate(error));
              statement.setLong(4, id);
              statement.addBatch();
            }
            statement.executeBatch();
          }
          return null;
        });
  }

  /**
   * Runs {@code work} in one transaction on the database ids of {@code ids}. Changes among them
   * that are in the fast lane are inserted first, in the same transaction, and leave the lane once
   * it commits.
   */
  private <T> T inDatabase(List<Long> ids, StoredWork<T> work) {
    FromLane fromLane = takeFromLane(ids);
    List<Long> stored = lane == null ? ids : databaseIds(ids);
    T result;
    try {
      result =
          jdbc.transaction(
              connection -> {
                List<Long> all = new ArrayList<>(stored);
                all.addAll(fromLane.insert(connection));
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
  public void deadLetter(List<Long> ids, String error, Instant now) {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, Integer> removed =
        inDatabase(
            ids,
            (connection, all) -> {
              try (PreparedStatement copy =
                  connection.prepareStatement(
                      "INSERT INTO dead_letter (id, destination, feed_id, segment_id, datamart_id, operation,"
                          + " identifiers, observed_at, enqueued_at, attempts, dead_at, error)"
                          + " SELECT id, destination, feed_id, segment_id, datamart_id, operation, identifiers,"
                          + " observed_at, enqueued_at, attempts + 1, ?, ? FROM delivery_queue WHERE id = ?")) {
                for (long id : all) {
                  copy.setLong(1, now.toEpochMilli());
                  copy.setString(2, truncate(error));
                  copy.setLong(3, id);
                  copy.addBatch();
                }
                copy.executeBatch();
              }
              return deleteCounted(connection, all);
            });
    countRemoved(removed);
  }

  @Override
  public java.util.Optional<EarlierChange> earlierChange(
      DestinationName destination, ExternalSegment segment, List<Long> sequences, Instant now) {
    long last = sequences.getLast();
    java.util.Set<Long> own = new java.util.HashSet<>(sequences);
    if (lane != null) {
      var inLane =
          lane.earlierChange(
              destination, segment.feedId().value(), segment.segmentId().value(), last, own);
      if (inLane.isPresent()) {
        return inLane;
      }
      if (inDatabaseOf(destination).get() == 0) {
        return java.util.Optional.empty();
      }
    }
    // The segment's oldest queued changes before the last one, walked on the segment-order index:
    // the batch's own are skipped, so at most one more row than the batch is read.
    return jdbc.query(
        "SELECT seq, next_attempt_at, leased_until FROM delivery_queue WHERE destination = ?"
            + " AND feed_id = ? AND segment_id = ? AND seq < ? ORDER BY seq LIMIT ?",
        statement -> {
          statement.setString(1, destination.value());
          statement.setString(2, segment.feedId().value());
          statement.setString(3, segment.segmentId().value());
          statement.setLong(4, last);
          statement.setInt(5, own.size() + 1);
        },
        rows -> {
          while (rows.next()) {
            if (own.contains(rows.getLong(1))) {
              continue;
            }
            long leasedUntil = rows.getLong(3);
            boolean leased = !rows.wasNull() && leasedUntil >= now.toEpochMilli();
            return java.util.Optional.of(
                new EarlierChange(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), leased));
          }
          return java.util.Optional.<EarlierChange>empty();
        });
  }

  @Override
  public List<DestinationBacklog> backlog(Instant now) {
    // Asked for metrics and troubleshooting: wait briefly at most, and count what is still only
    // in the journal.
    catchUp(BACKLOG_CATCH_UP_LIMIT);
    List<DestinationBacklog> backlog =
        jdbc.query(
            "SELECT destination, count(*), min(enqueued_at), max(CASE WHEN last_error IS NULL THEN NULL ELSE id END)"
                + " FROM delivery_queue GROUP BY destination",
            statement -> {},
            rows -> {
              List<DestinationBacklog> result = new ArrayList<>();
              while (rows.next()) {
                result.add(
                    new DestinationBacklog(
                        nameOf(rows.getString(1)),
                        rows.getLong(2),
                        Instant.ofEpochMilli(rows.getLong(3)),
                        lastErrorOf(rows.getLong(4), rows.wasNull())));
              }
              return result;
            });
    // Several relays may share the queue: the database's count is the truth; local counters follow
    // it, plus what this relay's journal holds that the database does not have yet.
    depth.values().forEach(counter -> counter.set(0));
    notYetIngested.forEach((destination, count) -> depthOf(destination).set(count.get()));
    Map<DestinationName, DueItems> inLane = lane == null ? Map.of() : lane.depths();
    inLane.forEach((destination, items) -> depthOf(destination).addAndGet(items.count()));
    List<DestinationBacklog> counted = new ArrayList<>(backlog.size() + inLane.size());
    for (DestinationBacklog b : backlog) {
      long total = depthOf(b.destination()).addAndGet(b.depth());
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
                    destination, depthOf(destination).get(), items.oldestEnqueuedAt(), null));
          }
        });
    return counted;
  }

  @Override
  public List<DeadLetter> deadLetters(DestinationName destination, int limit) {
    return jdbc.query(
        "SELECT id, feed_id, segment_id, datamart_id, operation, identifiers, observed_at, attempts, enqueued_at,"
            + " dead_at, error FROM dead_letter WHERE destination = ? ORDER BY dead_at DESC, id DESC LIMIT ?",
        statement -> {
          statement.setString(1, destination.value());
          statement.setInt(2, limit);
        },
        rows -> {
          List<DeadLetter> letters = new ArrayList<>();
          while (rows.next()) {
            java.util.Optional<MembershipChange> change;
            try {
              change = java.util.Optional.of(changeOf(rows));
            } catch (IllegalArgumentException | IllegalStateException unreadable) {
              change = java.util.Optional.empty();
            }
            letters.add(
                new DeadLetter(
                    rows.getLong(1),
                    change,
                    rows.getInt(8),
                    Instant.ofEpochMilli(rows.getLong(9)),
                    Instant.ofEpochMilli(rows.getLong(10)),
                    rows.getString(11)));
          }
          return letters;
        });
  }

  /** Stops taking enqueues and waits for the writer to store what it holds. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(WRITE_TIMEOUT.toMillis());
      if (ingester != null) {
        LockSupport.unpark(ingester);
        ingester.join(WRITE_TIMEOUT.toMillis());
        // Whatever the database could not take stays in the journal for the next start.
        abandonIngest = true;
        ingester.join(WRITE_TIMEOUT.toMillis());
        if (!ingester.isAlive() && lane.size() > 0) {
          try {
            drainLane();
          } catch (RuntimeException e) {
            // The journal is read again from the position stored before: delivered twice at worst.
            LOG.log(Level.WARNING, e, () -> "could not store what the fast lane held at the stop");
          }
        }
        journal.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(Level.WARNING, e, () -> "could not close the accept journal");
    }
  }

  // --- helpers ---

  /**
   * At a stop, what the lane still holds goes into the database with the journal position after it,
   * in one transaction, so a restart finds each change once. Workers have stopped by then; a change
   * whose delivery they did not report is delivered again, as after a lease that ran out.
   */
  private void drainLane() {
    new FromLane(lane.takeAll()).storeThrough(ingestedThrough);
    appliedThrough = ingestedThrough;
    journal.release(appliedThrough);
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

  private FromLane takeFromLane(List<Long> ids) {
    return new FromLane(lane == null ? Map.of() : lane.takeLeased(laneIds(ids)));
  }

  /**
   * Lane changes on their way into the database (a retry or a dead letter): inserted in the
   * caller's transaction, then {@link #stored} once it commits, or {@link #putBack} if it fails.
   */
  private final class FromLane {
    private final Map<DestinationName, List<FastLane.Held>> taken;

    FromLane(Map<DestinationName, List<FastLane.Held>> taken) {
      this.taken = taken;
    }

    /** Inserts the changes and returns their database ids. */
    List<Long> insert(Connection connection) throws SQLException {
      if (taken.isEmpty()) {
        return List.of();
      }
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement insert = connection.prepareStatement(insertSql() + " RETURNING id")) {
        for (List<FastLane.Held> changes : taken.values()) {
          for (FastLane.Held held : changes) {
            bind(insert, held.row());
            try (ResultSet id = insert.executeQuery()) {
              id.next();
              ids.add(id.getLong(1));
            }
          }
        }
      }
      return ids;
    }

    /**
     * Inserts the changes with the journal position {@code applied} in their own transaction, then
     * counts them stored; puts them back if the database could not take them.
     */
    void storeThrough(long applied) {
      List<JournalRecords.QueueRow> rows = new ArrayList<>();
      taken.values().forEach(changes -> changes.forEach(held -> rows.add(held.row())));
      try {
        insertThrough(rows, applied);
      } catch (RuntimeException e) {
        putBack();
        throw e;
      }
      stored();
    }

    void stored() {
      taken.forEach(
          (destination, changes) -> {
            inDatabaseOf(destination).addAndGet(changes.size());
            lane.resolveTaken(changes);
          });
    }

    void putBack() {
      taken.forEach(lane::putBack);
    }
  }

  /** Rows deleted from the database leave the queue's depth and the database's count. */
  private void countRemoved(Map<String, Integer> removed) {
    removed.forEach(
        (destination, count) -> {
          depthOf(destination).addAndGet(-count);
          inDatabaseOf(nameOf(destination)).addAndGet(-count);
        });
  }

  private AtomicLong inDatabaseOf(DestinationName destination) {
    return inDatabase.computeIfAbsent(destination, d -> new AtomicLong());
  }

  private String lastErrorOf(long id, boolean none) {
    if (none) {
      return null;
    }
    return jdbc.query(
        "SELECT last_error FROM delivery_queue WHERE id = ?",
        statement -> statement.setLong(1, id),
        rows -> rows.next() ? rows.getString(1) : null);
  }

  /** Deletes the items, a chunk of ids per statement, and counts them per destination. */
  private Map<String, Integer> deleteCounted(Connection connection, List<Long> ids)
      throws SQLException {
    Map<String, Integer> removed = new java.util.HashMap<>();
    for (int from = 0; from < ids.size(); from += DELETE_CHUNK) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + DELETE_CHUNK));
      String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM delivery_queue WHERE id IN (" + marks + ") RETURNING destination")) {
        for (int i = 0; i < chunk.size(); i++) {
          delete.setLong(i + 1, chunk.get(i));
        }
        try (ResultSet rows = delete.executeQuery()) {
          while (rows.next()) {
            removed.merge(rows.getString(1), 1, Integer::sum);
          }
        }
      }
    }
    return removed;
  }

  /**
   * A queued row as a change: columns 1 to 10 are id, the change's six, attempts, enqueued, seq.
   */
  private static QueuedChange queuedChange(DestinationName destination, ResultSet rows)
      throws SQLException {
    return new QueuedChange(
        rows.getLong(1),
        destination,
        changeOf(rows),
        rows.getInt(8),
        Instant.ofEpochMilli(rows.getLong(9)),
        rows.getLong(10));
  }

  /** The change in columns 2 to 7: feed, segment, datamart, operation, identifiers, observed. */
  private static MembershipChange changeOf(ResultSet rows) throws SQLException {
    return JournalRecords.QueueRow.change(
        rows.getString(2),
        rows.getString(3),
        rows.getString(4),
        rows.getString(5),
        rows.getString(6),
        rows.getLong(7));
  }

  private void refreshDepths() {
    jdbc.query(
        "SELECT destination, count(*) FROM delivery_queue GROUP BY destination",
        statement -> {},
        rows -> {
          while (rows.next()) {
            depthOf(rows.getString(1)).set(rows.getLong(2));
            inDatabaseOf(nameOf(rows.getString(1))).set(rows.getLong(2));
          }
          return null;
        });
  }

  private AtomicLong depthOf(DestinationName destination) {
    return depth.computeIfAbsent(destination, d -> new AtomicLong());
  }

  private AtomicLong depthOf(String destination) {
    return depthOf(nameOf(destination));
  }

  /** One {@link DestinationName} per stored name, so rows do not allocate their own. */
  private DestinationName nameOf(String destination) {
    return names.computeIfAbsent(destination, DestinationName::new);
  }

  private static String truncate(String error) {
    return error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
  }
}

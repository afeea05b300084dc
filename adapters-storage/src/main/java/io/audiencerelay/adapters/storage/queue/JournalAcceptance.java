package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.jdbc.StorageException;
import io.audiencerelay.adapters.storage.queue.GroupWriter.PendingWrite;
import io.audiencerelay.application.logging.FailureStreak;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SQLite: a group is appended to the {@link AcceptJournal} and forced to disk before its requests
 * are answered; an ingester thread then moves the journal's records into the database in large
 * transactions, recording how far it got in the same transaction, so a crash neither loses nor
 * repeats one. A destination that keeps up gets its changes through the {@link FastLane} instead,
 * without the database; the journal stays their durable copy until each is delivered or stored.
 * Reads first wait until the database holds every update accepted before them.
 *
 * <p>Long because the journal's positions (read, ingested, applied, released) and the lane's hold
 * on them are one piece of bookkeeping that a crash must find consistent.
 */
final class JournalAcceptance implements Acceptance {
  private static final Logger LOG = Logger.getLogger(JdbcDeliveryQueue.class.getName());

  // One ingest transaction's share of the journal (~4,000 changes): larger transactions kept tens
  // of thousands of decoded rows alive across a commit (docs/PERFORMANCE.md).
  private static final int INGEST_BYTES = 512 << 10;
  private static final long JOURNAL_SEGMENT_BYTES = 64L << 20;
  private static final Duration INGEST_IDLE = Duration.ofMillis(50);
  // A database transaction costs a sync: under load, gather a few milliseconds of accepts into one.
  private static final Duration INGEST_GATHER = Duration.ofMillis(10);
  private static final int INGEST_GATHER_BYTES = 1 << 20;
  private static final Duration INGEST_FAILURE_PAUSE = Duration.ofSeconds(1);
  private static final Duration LANE_MAX_WAIT = Duration.ofSeconds(2);
  private static final Duration STOP_POLL = Duration.ofMillis(100);
  // How often the journal position is stored when only the lane moved it (a database commit).
  private static final Duration POSITION_EVERY = Duration.ofMillis(200);

  private final QueueTables tables;
  private final QueueCounts counts;
  private final FastLane lane;
  private final Clock clock;
  private final MonotonicTime time;
  private final BooleanSupplier writerClosed;
  private final BooleanSupplier writerAlive;
  private final AcceptJournal journal;
  private final Object ingestProgress = new Object();
  // The ingester's: the repeating columns of the changes it reads share their strings.
  private final RepeatedStrings sharedColumns = new RepeatedStrings();
  private Thread ingester;
  private volatile long ingestedThrough;
  // Failures that repeat every second while they last (a full disk): a few lines each, not one a
  // try.
  private final FailureStreak ingestFailures;
  private final FailureStreak laneFailures;
  private final FailureStreak appendFailures;
  private volatile boolean abandonIngest;
  // Set while a reader waits in catchUp: the ingester then goes at once instead of gathering.
  private volatile boolean awaited;
  private volatile Consumer<DestinationName> onIngested = destination -> {};
  // The journal position stored in the database, and when (the ingester's).
  private volatile long appliedThrough;
  private long appliedStoredAt;

  /**
   * Opens the journal beside the database file and moves into the database, before anything else,
   * the updates accepted before a stop or a crash.
   *
   * @param writerClosed whether the writer takes no more enqueues
   * @param writerAlive whether the writer may still append something
   */
  JournalAcceptance(
      Path databaseFile,
      QueueTables tables,
      QueueCounts counts,
      FastLane lane,
      Clock clock,
      MonotonicTime time,
      AcceptJournal.AppendChannels channels,
      BooleanSupplier writerClosed,
      BooleanSupplier writerAlive) {
    this.tables = tables;
    this.counts = counts;
    this.lane = lane;
    this.clock = clock;
    this.time = time;
    this.writerClosed = writerClosed;
    this.writerAlive = writerAlive;
    this.ingestFailures = FailureStreak.perMinute(LOG, Level.SEVERE, clock);
    this.laneFailures = FailureStreak.perMinute(LOG, Level.WARNING, clock);
    this.appendFailures = FailureStreak.perMinute(LOG, Level.SEVERE, clock);
    this.journal = open(databaseFile, channels);
  }

  /** Where the accept journal of a SQLite database lives: beside it. */
  static Path journalDirectory(Path databaseFile) {
    return databaseFile.resolveSibling(databaseFile.getFileName() + ".accepts");
  }

  /** How many times in a row the ingester could not move the journal into the database. */
  long failuresInARow() {
    return ingestFailures.failuresInARow();
  }

  /** Called with a destination each time the database (or the lane) takes updates for it. */
  void whenIngested(Consumer<DestinationName> listener) {
    this.onIngested = listener;
  }

  @Override
  public ByteBuffer record(
      DestinationName destination, List<MembershipChange> changes, long millis) {
    return JournalRecords.record(destination, changes, millis);
  }

  /** Appends the group to the journal and forces it to disk once. */
  @Override
  public void store(List<PendingWrite> group) {
    try {
      List<ByteBuffer> records = new ArrayList<>(group.size());
      for (PendingWrite write : group) {
        records.add(write.record());
      }
      journal.appendDurably(records);
    } catch (IOException | RuntimeException e) {
      appendFailures.failed(
          e,
          () -> "could not append accepted updates to the journal " + journal + ": answered retry");
      Acceptance.fail(group, e);
      return;
    }
    appendFailures.succeeded(() -> "accepted updates are appended to the journal " + journal);
    for (PendingWrite write : group) {
      int count = write.changes().size();
      counts.depthOf(write.destination()).addAndGet(count);
      counts.notYetIngestedOf(write.destination()).addAndGet(count);
      write.done().complete(null);
    }
    LockSupport.unpark(ingester);
  }

  @Override
  public void start(BiFunction<String, Runnable, Runnable> guarded) {
    ingester =
        Thread.ofPlatform()
            .name("relay-queue-ingester")
            .daemon(true)
            .start(guarded.apply("the journal ingester", this::ingestLoop));
  }

  @Override
  public Optional<FastLane> lane() {
    return Optional.of(lane);
  }

  private AcceptJournal open(Path databaseFile, AcceptJournal.AppendChannels channels) {
    Path directory = journalDirectory(databaseFile);
    try {
      appliedThrough = tables.appliedThrough();
      ingestedThrough = appliedThrough;
      AcceptJournal opened =
          AcceptJournal.open(directory, ingestedThrough, JOURNAL_SEGMENT_BYTES, channels);
      // Updates accepted before a stop or a crash go into the database before anything else.
      long unappliedBytes = opened.durableEnd() - ingestedThrough;
      if (unappliedBytes > 0) {
        // Said before and after: a large journal holds the start up, and whoever waits sees why.
        long started = time.nanoTime();
        LOG.info(
            () -> "moving " + unappliedBytes + " bytes of accepted updates from the journal first");
        while (ingestedThrough < opened.durableEnd()) {
          ingest(opened, opened.durableEnd(), false);
        }
        long millis = (time.nanoTime() - started) / 1_000_000;
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
        if (writerClosed.getAsBoolean()
            && !writerAlive.getAsBoolean()
            && journal.durableEnd() == end) {
          return;
        }
        try {
          tendLane();
          laneFailures.succeeded(() -> "waiting changes move into " + tables);
        } catch (RuntimeException e) {
          // Nothing is lost: the changes stay in the lane and the journal holds them.
          laneFailures.failed(e, () -> "could not move waiting changes into " + tables);
          time.park(this, INGEST_FAILURE_PAUSE.toNanos());
        }
        time.park(this, INGEST_IDLE.toNanos());
        continue;
      }
      boolean closed = writerClosed.getAsBoolean();
      long gathering = lastIngest + INGEST_GATHER.toNanos() - time.nanoTime();
      if (gathering > 0 && end - ingestedThrough < INGEST_GATHER_BYTES && !closed && !awaited) {
        time.park(this, gathering);
        continue;
      }
      try {
        lastIngest = time.nanoTime();
        if (closed && lane.size() > 0) {
          // What the lane holds came first: it goes into the database before the rest.
          drainLane();
        }
        ingest(journal, end, !closed);
        tendLane();
        ingestFailures.succeeded(() -> "accepted updates move into " + tables);
      } catch (IOException | RuntimeException e) {
        // Nothing is lost: the records stay in the journal and are tried again, every second.
        ingestFailures.failed(
            e,
            () -> "could not move accepted updates into " + tables + " (they wait in the journal)");
        time.park(this, INGEST_FAILURE_PAUSE.toNanos());
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
    Map<DestinationName, List<JournalRecords.QueueRow>> toLane = new LinkedHashMap<>();
    List<JournalRecords.QueueRow> toDatabase = useLane ? new ArrayList<>() : rows;
    Map<DestinationName, Integer> ingested = new HashMap<>();
    Set<DestinationName> laneClosed = new HashSet<>();
    for (JournalRecords.QueueRow row : rows) {
      DestinationName destination = counts.nameOf(row.destination());
      ingested.merge(destination, 1, Integer::sum);
      if (!useLane) {
        continue;
      }
      // Once one of a destination's changes goes to the database, the later ones follow it there.
      if (!laneClosed.contains(destination)
          && counts.inDatabaseOf(destination).get() == 0
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
                || time.nanoTime() - appliedStoredAt >= POSITION_EVERY.toNanos());
    if (!toDatabase.isEmpty() || storePosition) {
      try {
        tables.insertThrough(toDatabase, applied);
      } catch (RuntimeException e) {
        lane.unreserve(toLane.values());
        throw e;
      }
      appliedThrough = applied;
      appliedStoredAt = time.nanoTime();
    }
    for (JournalRecords.QueueRow row : toDatabase) {
      counts.inDatabaseOf(counts.nameOf(row.destination())).incrementAndGet();
    }
    lane.add(start, toLane);
    synchronized (ingestProgress) {
      ingestedThrough = next;
      awaited = false;
      ingested.forEach(
          (destination, count) -> counts.notYetIngestedOf(destination).addAndGet(-count));
      ingestProgress.notifyAll();
    }
    from.release(appliedThrough);
    ingested.keySet().forEach(onIngested);
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
          new FromLane(Map.of(destination, taken), lane, tables, counts)
              .storeThrough(appliedThrough);
        }
      }
    }
    long applied = lane.appliedThrough(ingestedThrough);
    if (applied > appliedThrough && time.nanoTime() - appliedStoredAt >= POSITION_EVERY.toNanos()) {
      tables.insertThrough(List.of(), applied);
      appliedThrough = applied;
      appliedStoredAt = time.nanoTime();
      journal.release(applied);
    }
  }

  /**
   * Waits until the database holds every update accepted so far, so a read after an {@code
   * Accepted} sees it. Bounded: if the database cannot take them, the read goes on without.
   */
  @Override
  public void catchUp(Duration limit) {
    long target = journal.durableEnd();
    long deadline = time.nanoTime() + limit.toNanos();
    synchronized (ingestProgress) {
      while (ingestedThrough < target) {
        long left = deadline - time.nanoTime();
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

  /**
   * At a stop, what the lane still holds goes into the database with the journal position after it,
   * in one transaction, so a restart finds each change once. Workers have stopped by then; a change
   * whose delivery they did not report is delivered again, as after a lease that ran out.
   */
  private void drainLane() {
    new FromLane(lane.takeAll(), lane, tables, counts).storeThrough(ingestedThrough);
    appliedThrough = ingestedThrough;
    journal.release(appliedThrough);
  }

  /**
   * Moves what it can into the database; whatever the database cannot take waits in the journal.
   */
  @Override
  public void close() {
    try {
      LockSupport.unpark(ingester);
      // A database that refuses the journal's records (a full or read-only disk) refuses them
      // at the stop too: they wait in the journal for the next start, and the stop does not wait
      // out the timeout for them (a supervisor's grace period is often no longer).
      long deadline = time.nanoTime() + GroupWriter.WRITE_TIMEOUT.toNanos();
      while (ingester.isAlive()
          && ingestFailures.failuresInARow() == 0
          && time.nanoTime() < deadline) {
        ingester.join(STOP_POLL.toMillis());
      }
      if (ingester.isAlive() && ingestFailures.failuresInARow() > 0) {
        LOG.warning(
            () ->
                "stopping while "
                    + tables
                    + " refuses accepted updates: they wait in the journal "
                    + journal
                    + " and move at the next start");
      }
      abandonIngest = true;
      LockSupport.unpark(ingester);
      ingester.join(GroupWriter.WRITE_TIMEOUT.toMillis());
      if (!ingester.isAlive() && lane.size() > 0) {
        try {
          drainLane();
        } catch (RuntimeException e) {
          // The journal is read again from the position stored before: delivered twice at worst.
          LOG.log(Level.WARNING, e, () -> "could not store what the fast lane held at the stop");
        }
      }
      journal.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(Level.WARNING, e, () -> "could not close the accept journal");
    }
  }
}

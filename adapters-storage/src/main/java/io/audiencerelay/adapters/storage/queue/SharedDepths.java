package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.domain.DestinationName;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * PostgreSQL: the queue depths the bound is checked against, read from the database that several
 * relays share. Counted in one process only, a relay that accepts while others deliver would count
 * up to the bound and answer "retry" for good. Between two reads this relay's own accepts and
 * deliveries move the depth, so the bound may be passed by what the other relays accept in one
 * interval. A read costs about as much as the queue is deep: reads come every second at most, and
 * take at most a twentieth of the time (several relays read, on one database).
 */
final class SharedDepths implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(JdbcDeliveryQueue.class.getName());
  static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(1);
  // A read may take this share of the time at most: 1 / COST_SHARE.
  private static final int COST_SHARE = 20;

  private final QueueTables tables;
  private final QueueCounts counts;
  private final MonotonicTime time;
  private volatile boolean closed;
  private volatile boolean failing;
  private Thread reader;

  private SharedDepths(QueueTables tables, QueueCounts counts, MonotonicTime time) {
    this.tables = tables;
    this.counts = counts;
    this.time = time;
  }

  static SharedDepths start(
      QueueTables tables,
      QueueCounts counts,
      MonotonicTime time,
      BiFunction<String, Runnable, Runnable> guarded) {
    SharedDepths depths = new SharedDepths(tables, counts, time);
    depths.reader =
        Thread.ofPlatform()
            .name("relay-queue-depths")
            .daemon(true)
            .start(guarded.apply("queue depth reader", depths::readUntilClosed));
    return depths;
  }

  private void readUntilClosed() {
    // The queue read the depths as it opened: the first read comes an interval later.
    long took = 0;
    while (!closed) {
      long started = time.nanoTime();
      long wait = Math.max(SHORTEST_INTERVAL.toNanos(), took * COST_SHARE);
      long until = started + wait;
      for (long left = wait; left > 0 && !closed; left = until - time.nanoTime()) {
        time.park(this, left);
      }
      if (!closed) {
        long reading = time.nanoTime();
        readOnce();
        took = time.nanoTime() - reading;
      }
    }
  }

  /** One read; a failed one keeps the last depths and is logged once until reads work again. */
  void readOnce() {
    try {
      Map<DestinationName, Long> before = counts.depths();
      counts.rebase(before, tables.depths());
      if (failing) {
        failing = false;
        LOG.info("queue depths are read from the database again");
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.log(
            Level.WARNING,
            e,
            () -> "could not read the queue depths from " + tables + "; the last ones are kept");
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread thread = reader;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

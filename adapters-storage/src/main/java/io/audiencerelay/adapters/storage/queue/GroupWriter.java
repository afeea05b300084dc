package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Enqueues from concurrent requests made durable in groups: one writer thread takes every pending
 * enqueue, has the whole group stored in one write, and each request is answered when its write
 * completes. A watchdog fails any write not stored within {@link #WRITE_TIMEOUT} (a disk or a
 * database that hangs): the platform keeps the update and sends it again.
 */
final class GroupWriter {
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_GROUP = 512;
  private static final Duration WATCH_EVERY = Duration.ofSeconds(1);

  /**
   * An enqueue waiting for the writer; {@code record} is its journal record (SQLite only), {@code
   * offeredAt} when it was handed over ({@link MonotonicTime#nanoTime}).
   */
  record PendingWrite(
      DestinationName destination,
      List<MembershipChange> changes,
      ByteBuffer record,
      CompletableFuture<Void> done,
      long offeredAt) {}

  private final BlockingQueue<PendingWrite> pending = new ArrayBlockingQueue<>(16_384);
  private final Consumer<List<PendingWrite>> store;
  private final MonotonicTime time;
  private final Thread writer;
  // The group the writer is storing now, for the watchdog.
  private volatile List<PendingWrite> writing = List.of();
  private volatile boolean closed;

  /**
   * @param store makes a group durable, then completes each write (or fails them all)
   * @param guarded wraps a background loop so that its death is recorded (part name, loop)
   */
  GroupWriter(
      Consumer<List<PendingWrite>> store,
      MonotonicTime time,
      BiFunction<String, Runnable, Runnable> guarded) {
    this.store = store;
    this.time = time;
    this.writer =
        Thread.ofPlatform()
            .name("relay-queue-writer")
            .daemon(true)
            .start(guarded.apply("the queue writer", this::writeLoop));
    Thread.ofPlatform()
        .name("relay-queue-watchdog")
        .daemon(true)
        .start(guarded.apply("the queue watchdog", this::watchLoop));
  }

  PendingWrite pending(
      DestinationName destination, List<MembershipChange> changes, ByteBuffer record) {
    return new PendingWrite(
        destination, changes, record, new CompletableFuture<>(), time.nanoTime());
  }

  /** Hands a write over; false when the writer is saturated. */
  boolean offer(PendingWrite write) {
    return pending.offer(write);
  }

  /** Whether the writer may still store something (it stores what it holds after a close). */
  boolean isAlive() {
    return writer.isAlive();
  }

  boolean closed() {
    return closed;
  }

  /** Tells everyone who waits that nothing will be stored (a background part died). */
  void failWaiting(Exception why) {
    for (Iterable<PendingWrite> waiting : List.of(writing, pending)) {
      for (PendingWrite write : waiting) {
        write.done().completeExceptionally(why);
      }
    }
  }

  /** Stops taking writes and waits, within the write timeout, for the writer to store its own. */
  void close() throws InterruptedException {
    closed = true;
    writer.join(WRITE_TIMEOUT.toMillis());
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
        store.accept(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        group.clear();
      }
    }
  }

  private void watchLoop() {
    while (!closed || writer.isAlive()) {
      time.park(this, WATCH_EVERY.toNanos());
      long now = time.nanoTime();
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
}

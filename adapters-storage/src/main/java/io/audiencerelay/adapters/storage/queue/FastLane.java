package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.DueItems;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.domain.DestinationName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepted changes held in memory between the accept journal and a destination that keeps up, so
 * that their first delivery costs no database insert, lease, read and delete. The journal stays the
 * durable copy: its records are released only once every change read from them is delivered or
 * stored in the database ({@link #appliedThrough}), so a crash loses nothing and at worst delivers
 * a few seconds of changes twice, which at-least-once delivery allows.
 *
 * <p>Changes go to the database instead when the lane is full, when a destination already has
 * changes in the database (so they are delivered in the order they came), when a delivery fails
 * (retries and dead letters live in the database) and when they wait longer than a bound (a paused
 * destination must not keep the journal from being released). One thread, the ingester, offers and
 * spills; workers claim and resolve.
 *
 * <p>Ids are negative, counted up from {@link Long#MIN_VALUE}: they never meet a database id, and a
 * claim sorted by id hands lane changes out in the order they came, before any database row.
 *
 * <p>Long because its chunks, leases and byte budget are kept consistent by one discipline (the
 * ingester offers and spills, workers claim and resolve), which reads best in one place.
 */
final class FastLane {

  /** The changes read from the journal between two positions that are still in the lane. */
  static final class Chunk {
    final long start;
    final AtomicInteger unresolved = new AtomicInteger();

    Chunk(long start) {
      this.start = start;
    }
  }

  /** A change in the lane; {@code leasedUntil} is 0 while it waits for a worker. */
  record Held(long id, JournalRecords.QueueRow row, Chunk chunk, long leasedUntil) {
    Held leased(long until) {
      return new Held(id, row, chunk, until);
    }
  }

  private static final class Queue {
    final ArrayDeque<Held> waiting = new ArrayDeque<>();
    final LinkedHashMap<Long, Held> leased = new LinkedHashMap<>();
  }

  private final int capacity;
  private final long capacityBytes;
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong heldBytes = new AtomicLong();
  private final AtomicLong nextId = new AtomicLong(Long.MIN_VALUE);
  private final Map<DestinationName, Queue> queues = new ConcurrentHashMap<>();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>(); // guarded by itself

  /**
   * @param capacity changes held at most, across destinations
   * @param capacityBytes bytes of heap they take at most, as {@link #bytesOf} counts them: a few
   *     changes with many identifiers weigh as much as many changes with one
   */
  FastLane(int capacity, long capacityBytes) {
    this.capacity = capacity;
    this.capacityBytes = capacityBytes;
  }

  /**
   * The heap a change takes while it is held or claimed: its identifiers' text (the largest part,
   * and what varies) twice over (the text and the decoded identifiers), plus a fixed part for the
   * records and the shared column strings.
   */
  static long bytesOf(JournalRecords.QueueRow row) {
    return 256 + 2L * row.identifiers().length();
  }

  // --- the ingester's side ---

  /** Reserves room for a change, or answers false when the lane is full. */
  boolean reserve(JournalRecords.QueueRow row) {
    long bytes = bytesOf(row);
    if (heldBytes.addAndGet(bytes) > capacityBytes) {
      heldBytes.addAndGet(-bytes);
      return false;
    }
    while (true) {
      int now = held.get();
      if (now + 1 > capacity) {
        heldBytes.addAndGet(-bytes);
        return false;
      }
      if (held.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives back the room reserved for changes that were not added. */
  void unreserve(Collection<List<JournalRecords.QueueRow>> rows) {
    for (List<JournalRecords.QueueRow> list : rows) {
      for (JournalRecords.QueueRow row : list) {
        held.decrementAndGet();
        heldBytes.addAndGet(-bytesOf(row));
      }
    }
  }

  /**
   * Adds reserved changes read from the journal from {@code start}: they keep the journal from
   * being released past {@code start} until each is resolved.
   */
  void add(long start, Map<DestinationName, List<JournalRecords.QueueRow>> rows) {
    Chunk chunk = new Chunk(start);
    int count = 0;
    for (List<JournalRecords.QueueRow> list : rows.values()) {
      count += list.size();
    }
    if (count == 0) {
      return;
    }
    chunk.unresolved.set(count);
    synchronized (chunks) {
      chunks.addLast(chunk);
    }
    rows.forEach(
        (destination, list) -> {
          Queue queue = queueOf(destination);
          synchronized (queue) {
            for (JournalRecords.QueueRow row : list) {
              queue.waiting.addLast(new Held(nextId.getAndIncrement(), row, chunk, 0));
            }
          }
        });
  }

  /**
   * Takes every waiting change of a destination whose oldest waiting change was accepted before
   * {@code acceptedBefore}: all of them, so that the database gets them in order. They stay counted
   * until {@link #resolve} (once stored) or {@link #putBack} (when the database could not).
   */
  List<Held> takeWaitingIfOlder(DestinationName destination, long acceptedBefore) {
    Queue queue = queues.get(destination);
    if (queue == null) {
      return List.of();
    }
    synchronized (queue) {
      Held oldest = queue.waiting.peekFirst();
      if (oldest == null || oldest.row().enqueuedAt() >= acceptedBefore) {
        return List.of();
      }
      List<Held> taken = new ArrayList<>(queue.waiting);
      queue.waiting.clear();
      return taken;
    }
  }

  /** The destinations that have changes in the lane. */
  Collection<DestinationName> destinations() {
    return queues.keySet();
  }

  /**
   * Where the journal may be released up to: the start of the oldest chunk with a change still in
   * the lane, or {@code readThrough} when none is.
   */
  long appliedThrough(long readThrough) {
    synchronized (chunks) {
      while (!chunks.isEmpty() && chunks.peekFirst().unresolved.get() == 0) {
        chunks.removeFirst();
      }
      return chunks.isEmpty() ? readThrough : chunks.peekFirst().start;
    }
  }

  // --- the workers' side ---

  /** Waiting changes due at {@code now}, counted up to {@code atMost}. */
  DueItems due(DestinationName destination, Instant now, int atMost) {
    Queue queue = queues.get(destination);
    if (queue == null) {
      return new DueItems(0, null);
    }
    long at = now.toEpochMilli();
    synchronized (queue) {
      returnExpired(queue, at);
      Held oldest = queue.waiting.peekFirst();
      if (oldest == null || oldest.row().enqueuedAt() > at) {
        return new DueItems(0, null);
      }
      long count = 0;
      for (Held held : queue.waiting) {
        if (count >= atMost || held.row().enqueuedAt() > at) {
          break;
        }
        count++;
      }
      return new DueItems(count, Instant.ofEpochMilli(oldest.row().enqueuedAt()));
    }
  }

  /**
   * Leases up to {@code limit} due changes, oldest first, stopping once they weigh {@code maxBytes}
   * (as {@link #bytesOf} counts). A change that no longer reads as one (stored before a rule it
   * breaks) is leased too, and named in {@code unreadable} with why, instead of being returned.
   */
  List<QueuedChange> claim(
      DestinationName destination,
      int limit,
      long maxBytes,
      Instant now,
      Duration lease,
      Map<Long, String> unreadable) {
    Queue queue = queues.get(destination);
    if (queue == null) {
      return List.of();
    }
    long at = now.toEpochMilli();
    long until = now.plus(lease).toEpochMilli();
    List<Held> claimed = new ArrayList<>();
    long bytes = 0;
    synchronized (queue) {
      returnExpired(queue, at);
      while (claimed.size() < limit
          && bytes < maxBytes
          && !queue.waiting.isEmpty()
          && queue.waiting.peekFirst().row().enqueuedAt() <= at) {
        Held leased = queue.waiting.pollFirst().leased(until);
        queue.leased.put(leased.id(), leased);
        claimed.add(leased);
        bytes += bytesOf(leased.row());
      }
    }
    List<QueuedChange> changes = new ArrayList<>(claimed.size());
    for (Held leased : claimed) {
      try {
        changes.add(queuedChange(destination, leased));
      } catch (IllegalArgumentException | IllegalStateException e) {
        unreadable.put(leased.id(), e.getMessage());
      }
    }
    return changes;
  }

  /**
   * Takes the leased changes among {@code ids} out of the lane, still counted: the caller stores
   * them in the database, then calls {@link #resolveTaken}, or {@link #putBack} if it could not.
   */
  Map<DestinationName, List<Held>> takeLeased(Collection<Long> ids) {
    Map<DestinationName, List<Held>> taken = new HashMap<>();
    for (Map.Entry<DestinationName, Queue> entry : queues.entrySet()) {
      Queue queue = entry.getValue();
      synchronized (queue) {
        for (Long id : ids) {
          Held leased = queue.leased.remove(id);
          if (leased != null) {
            taken.computeIfAbsent(entry.getKey(), d -> new ArrayList<>()).add(leased);
          }
        }
      }
    }
    return taken;
  }

  /** Takes every change out of the lane, waiting or leased, oldest first: at a stop. */
  Map<DestinationName, List<Held>> takeAll() {
    Map<DestinationName, List<Held>> taken = new HashMap<>();
    queues.forEach(
        (destination, queue) -> {
          synchronized (queue) {
            if (queue.waiting.isEmpty() && queue.leased.isEmpty()) {
              return;
            }
            List<Held> all = new ArrayList<>(queue.leased.values());
            all.addAll(queue.waiting);
            queue.leased.clear();
            queue.waiting.clear();
            taken.put(destination, all);
          }
        });
    return taken;
  }

  /**
   * The changes with these ids were delivered: they leave the lane.
   *
   * @return how many were still in the lane, per destination
   */
  Map<DestinationName, Integer> resolve(Collection<Long> ids) {
    Map<DestinationName, Integer> resolved = new HashMap<>();
    takeLeased(ids)
        .forEach(
            (destination, gone) -> {
              resolveTaken(gone);
              resolved.put(destination, gone.size());
            });
    return resolved;
  }

  /** Changes taken out of the lane are stored in the database (or delivered): resolved. */
  void resolveTaken(List<Held> taken) {
    long bytes = 0;
    for (Held gone : taken) {
      gone.chunk().unresolved.decrementAndGet();
      bytes += bytesOf(gone.row());
    }
    held.addAndGet(-taken.size());
    heldBytes.addAndGet(-bytes);
  }

  /** Changes taken out of the lane that the database could not take: they wait again, first. */
  void putBack(DestinationName destination, List<Held> taken) {
    Queue queue = queueOf(destination);
    synchronized (queue) {
      for (int i = taken.size() - 1; i >= 0; i--) {
        queue.waiting.addFirst(taken.get(i).leased(0));
      }
    }
  }

  /**
   * The oldest change of a segment in the lane accepted before {@code sequence}, other than {@code
   * own}, if there is one: leased to a worker (in flight), or waiting. Both sides are kept in
   * acceptance order, bar changes that came back to the head of the waiting side (a lease that ran
   * out, a move to the database that failed), so each search stops at the first change that is not
   * earlier.
   */
  java.util.Optional<DeliveryBacklog.EarlierChange> earlierChange(
      DestinationName destination,
      String feedId,
      String segmentId,
      long sequence,
      java.util.Set<Long> own) {
    Queue queue = queues.get(destination);
    if (queue == null) {
      return java.util.Optional.empty();
    }
    synchronized (queue) {
      for (Held held : queue.leased.values()) {
        if (held.row().sequence() >= sequence) {
          break;
        }
        if (sameSegment(held.row(), feedId, segmentId) && !own.contains(held.row().sequence())) {
          return java.util.Optional.of(
              new DeliveryBacklog.EarlierChange(
                  held.row().sequence(), Instant.ofEpochMilli(held.row().enqueuedAt()), true));
        }
      }
      for (Held held : queue.waiting) {
        if (held.row().sequence() >= sequence) {
          break;
        }
        if (sameSegment(held.row(), feedId, segmentId) && !own.contains(held.row().sequence())) {
          return java.util.Optional.of(
              new DeliveryBacklog.EarlierChange(
                  held.row().sequence(), Instant.ofEpochMilli(held.row().enqueuedAt()), false));
        }
      }
    }
    return java.util.Optional.empty();
  }

  private static boolean sameSegment(JournalRecords.QueueRow row, String feedId, String segmentId) {
    return row.segmentId().equals(segmentId) && row.feedId().equals(feedId);
  }

  /** Changes in the lane per destination, waiting or leased, with the oldest acceptance time. */
  Map<DestinationName, DueItems> depths() {
    Map<DestinationName, DueItems> depths = new HashMap<>();
    queues.forEach(
        (destination, queue) -> {
          synchronized (queue) {
            int count = queue.waiting.size() + queue.leased.size();
            if (count == 0) {
              return;
            }
            // Each side is in acceptance order, so its first change is its oldest.
            long oldest = Long.MAX_VALUE;
            if (!queue.waiting.isEmpty()) {
              oldest = queue.waiting.peekFirst().row().enqueuedAt();
            }
            if (!queue.leased.isEmpty()) {
              oldest = Math.min(oldest, queue.leased.firstEntry().getValue().row().enqueuedAt());
            }
            depths.put(destination, new DueItems(count, Instant.ofEpochMilli(oldest)));
          }
        });
    return depths;
  }

  /** How many changes the lane holds (or has reserved). */
  int size() {
    return held.get();
  }

  // --- internals ---

  private Queue queueOf(DestinationName destination) {
    return queues.computeIfAbsent(destination, d -> new Queue());
  }

  /** Changes whose worker let the lease run out (it died) wait again, ahead of newer ones. */
  private static void returnExpired(Queue queue, long now) {
    if (queue.leased.isEmpty()) {
      return;
    }
    List<Held> expired = new ArrayList<>();
    for (Iterator<Held> it = queue.leased.values().iterator(); it.hasNext(); ) {
      Held leased = it.next();
      if (leased.leasedUntil() < now) {
        expired.add(leased.leased(0));
        it.remove();
      }
    }
    for (int i = expired.size() - 1; i >= 0; i--) {
      queue.waiting.addFirst(expired.get(i));
    }
  }

  static QueuedChange queuedChange(DestinationName destination, Held held) {
    return new QueuedChange(
        held.id(),
        destination,
        held.row().change(),
        0,
        Instant.ofEpochMilli(held.row().enqueuedAt()),
        held.row().sequence());
  }
}

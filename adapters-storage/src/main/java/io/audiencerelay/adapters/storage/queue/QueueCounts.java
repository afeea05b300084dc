package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.domain.DestinationName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the queue counts in memory, per destination: its depth (every queued change, wherever it
 * is), the rows it has in the database (while it has any, its changes skip the fast lane), and the
 * accepted changes the journal holds that the database has not taken yet.
 */
final class QueueCounts {
  private final Map<DestinationName, AtomicLong> depth = new ConcurrentHashMap<>();
  private final Map<DestinationName, AtomicLong> inDatabase = new ConcurrentHashMap<>();
  private final Map<DestinationName, AtomicLong> notYetIngested = new ConcurrentHashMap<>();
  private final Map<String, DestinationName> names = new ConcurrentHashMap<>();

  AtomicLong depthOf(DestinationName destination) {
    return depth.computeIfAbsent(destination, d -> new AtomicLong());
  }

  AtomicLong inDatabaseOf(DestinationName destination) {
    return inDatabase.computeIfAbsent(destination, d -> new AtomicLong());
  }

  AtomicLong notYetIngestedOf(DestinationName destination) {
    return notYetIngested.computeIfAbsent(destination, d -> new AtomicLong());
  }

  /** One {@link DestinationName} per stored name, so rows do not allocate their own. */
  DestinationName nameOf(String destination) {
    return names.computeIfAbsent(destination, DestinationName::new);
  }

  /** Rows deleted from the database leave the queue's depth and the database's count. */
  void removed(Map<String, Integer> removed) {
    removed.forEach(
        (destination, count) -> {
          DestinationName name = nameOf(destination);
          depthOf(name).addAndGet(-count);
          inDatabaseOf(name).addAndGet(-count);
        });
  }

  /** The database's rows per destination, as it holds them now (at start). */
  void databaseHolds(Map<String, Long> rows) {
    rows.forEach(
        (destination, count) -> {
          DestinationName name = nameOf(destination);
          depthOf(name).set(count);
          inDatabaseOf(name).set(count);
        });
  }

  /** Every destination's depth as counted now. */
  Map<DestinationName, Long> depths() {
    Map<DestinationName, Long> now = new HashMap<>();
    depth.forEach((destination, counter) -> now.put(destination, counter.get()));
    return now;
  }

  /**
   * Moves the depths to what a shared database holds ({@code rows}, read after {@code before} was
   * taken), keeping what this relay counted since {@code before}. A change stored while the rows
   * were read is counted twice until the next read: the bound errs toward asking to retry. Only for
   * a queue without a journal or a lane (PostgreSQL), whose every change is in the database.
   */
  void rebase(Map<DestinationName, Long> before, Map<String, Long> rows) {
    Set<DestinationName> destinations = new HashSet<>(before.keySet());
    rows.keySet().forEach(name -> destinations.add(nameOf(name)));
    for (DestinationName destination : destinations) {
      long moved =
          rows.getOrDefault(destination.value(), 0L) - before.getOrDefault(destination, 0L);
      depthOf(destination).addAndGet(moved);
      inDatabaseOf(destination).addAndGet(moved);
    }
  }

  /**
   * Depths start again from what this relay holds that the database does not have yet: the
   * database's own count is added to them by the caller (SQLite; on PostgreSQL see {@link
   * #rebase}).
   */
  void restartDepthsFromJournal() {
    depth.values().forEach(counter -> counter.set(0));
    notYetIngested.forEach((destination, count) -> depthOf(destination).set(count.get()));
  }
}

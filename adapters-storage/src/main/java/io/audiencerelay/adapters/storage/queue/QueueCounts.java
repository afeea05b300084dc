package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.domain.DestinationName;
import java.util.Map;
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

  /**
   * Depths start again from what this relay holds that the database does not have yet: the
   * database's own count is added to them by the caller (several relays may share it).
   */
  void restartDepthsFromJournal() {
    depth.values().forEach(counter -> counter.set(0));
    notYetIngested.forEach((destination, count) -> depthOf(destination).set(count.get()));
  }
}

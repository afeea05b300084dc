package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.domain.DestinationName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fast-lane changes on their way into the database (a retry, a dead letter, a destination that
 * stopped keeping up, a stop): inserted in a transaction, then {@link #stored} once it commits, or
 * {@link #putBack} if it fails, so a change is never in both places or in neither.
 */
final class FromLane {
  private final Map<DestinationName, List<FastLane.Held>> taken;
  private final FastLane lane;
  private final QueueTables tables;
  private final QueueCounts counts;

  FromLane(
      Map<DestinationName, List<FastLane.Held>> taken,
      FastLane lane,
      QueueTables tables,
      QueueCounts counts) {
    this.taken = taken;
    this.lane = lane;
    this.tables = tables;
    this.counts = counts;
  }

  /**
   * Inserts the changes in the caller's transaction, held by {@code owner} as they were in the
   * lane, and returns their database ids.
   */
  List<Long> insert(Connection connection, String owner) throws SQLException {
    return taken.isEmpty() ? List.of() : tables.insertReturningIds(connection, rows(), owner);
  }

  /**
   * Inserts the changes with the journal position {@code applied} in their own transaction, then
   * counts them stored; puts them back if the database could not take them.
   */
  void storeThrough(long applied) {
    try {
      tables.insertThrough(rows(), applied);
    } catch (RuntimeException e) {
      putBack();
      throw e;
    }
    stored();
  }

  void stored() {
    taken.forEach(
        (destination, changes) -> {
          counts.inDatabaseOf(destination).addAndGet(changes.size());
          lane.resolveTaken(changes);
        });
  }

  void putBack() {
    taken.forEach(lane::putBack);
  }

  private List<JournalRecords.QueueRow> rows() {
    List<JournalRecords.QueueRow> rows = new ArrayList<>();
    taken.values().forEach(changes -> changes.forEach(held -> rows.add(held.row())));
    return rows;
  }
}

package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.application.port.out.DeliveryBacklog.DeadLetter;
import io.audiencerelay.application.port.out.DeliveryBacklog.DestinationBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.DueItems;
import io.audiencerelay.application.port.out.DeliveryBacklog.EarlierChange;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every statement on the queue's tables ({@code delivery_queue}, {@code dead_letter}, {@code
 * accept_journal}), and nothing else: no threads, no counters, no lane. The same SQL serves SQLite
 * and PostgreSQL; where they differ (a row lock, who numbers the acceptance order) it says so.
 *
 * <p>Long because it holds every statement on the queue's tables, so that their indexes and locks
 * can be reviewed side by side.
 */
final class QueueTables {
  private static final int DELETE_CHUNK = 500;
  private static final int ERROR_CHARS = 2000;

  // PostgreSQL numbers the acceptance order itself (seq's default); on SQLite it comes from the
  // journal position.
  private static final String INSERT =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)";
  private static final String INSERT_WITH_SEQ =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at, seq)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";

  private final Database database;
  private final Jdbc jdbc;
  private final boolean numbered;

  /**
   * @param numbered whether rows carry their acceptance order ({@code seq}) from the journal
   */
  QueueTables(Database database, boolean numbered) {
    this.database = database;
    this.jdbc = new Jdbc(database);
    this.numbered = numbered;
  }

  <T> T transaction(Jdbc.Work<T> work) {
    return jdbc.transaction(work);
  }

  @Override
  public String toString() {
    return database.toString();
  }

  // --- accepted rows ---

  void insert(Connection connection, List<JournalRecords.QueueRow> rows) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(numbered ? INSERT_WITH_SEQ : INSERT)) {
      for (JournalRecords.QueueRow row : rows) {
        bind(insert, row);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Inserts rows one by one and returns their database ids, in order. */
  List<Long> insertReturningIds(Connection connection, List<JournalRecords.QueueRow> rows)
      throws SQLException {
    List<Long> ids = new ArrayList<>(rows.size());
    try (PreparedStatement insert =
        connection.prepareStatement((numbered ? INSERT_WITH_SEQ : INSERT) + " RETURNING id")) {
      for (JournalRecords.QueueRow row : rows) {
        bind(insert, row);
        try (ResultSet id = insert.executeQuery()) {
          id.next();
          ids.add(id.getLong(1));
        }
      }
    }
    return ids;
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
    if (numbered) {
      insert.setLong(10, row.sequence());
    }
  }

  /**
   * Inserts rows and stores the journal position before which every change is delivered or in the
   * database, in one transaction.
   */
  void insertThrough(List<JournalRecords.QueueRow> rows, long applied) {
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

  /** The journal position the database has taken everything before. */
  long appliedThrough() {
    return jdbc.query(
        "SELECT applied_through FROM accept_journal WHERE id = 1",
        statement -> {},
        rows -> rows.next() ? rows.getLong(1) : 0L);
  }

  // --- workers' reads and claims ---

  DueItems due(DestinationName destination, Instant now, int atMost) {
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
   * Leases up to {@code limit} due rows in one transaction; a row this version cannot read is put
   * in {@code unreadable} (id, reason) instead.
   */
  List<QueuedChange> claim(
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

  /** The segment's earliest queued change before {@code last} that is not one of {@code own}. */
  Optional<EarlierChange> earlierChange(
      DestinationName destination, ExternalSegment segment, long last, Set<Long> own, Instant now) {
    // Walked on the segment-order index: the batch's own are skipped, so at most one more row than
    // the batch is read.
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
            return Optional.of(
                new EarlierChange(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), leased));
          }
          return Optional.<EarlierChange>empty();
        });
  }

  // --- outcomes ---

  /** Deletes the rows, a chunk of ids per statement, and counts them per destination. */
  Map<String, Integer> deleteCounted(Connection connection, List<Long> ids) throws SQLException {
    Map<String, Integer> removed = new HashMap<>();
    for (int from = 0; from < ids.size(); from += DELETE_CHUNK) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + DELETE_CHUNK));
      String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
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

  /** Sets the rows' next attempt and error, and releases their lease. */
  void reschedule(
      Connection connection, List<Long> ids, Instant nextAttemptAt, String error, int spent)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE delivery_queue SET attempts = attempts + ?, next_attempt_at = ?, leased_until = NULL,"
                + " last_error = ? WHERE id = ?")) {
      for (long id : ids) {
        statement.setInt(1, spent);
        statement.setLong(2, nextAttemptAt.toEpochMilli());
        statement.setString(3, truncate(error));
        statement.setLong(4, id);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Copies the rows to the dead letters, then deletes them; counts them per destination. */
  Map<String, Integer> deadLetter(Connection connection, List<Long> ids, String error, Instant now)
      throws SQLException {
    try (PreparedStatement copy =
        connection.prepareStatement(
            "INSERT INTO dead_letter (id, destination, feed_id, segment_id, datamart_id, operation,"
                + " identifiers, observed_at, enqueued_at, attempts, dead_at, error)"
                + " SELECT id, destination, feed_id, segment_id, datamart_id, operation, identifiers,"
                + " observed_at, enqueued_at, attempts + 1, ?, ? FROM delivery_queue WHERE id = ?")) {
      for (long id : ids) {
        copy.setLong(1, now.toEpochMilli());
        copy.setString(2, truncate(error));
        copy.setLong(3, id);
        copy.addBatch();
      }
      copy.executeBatch();
    }
    return deleteCounted(connection, ids);
  }

  // --- what the queue holds ---

  /** Per destination: rows, the oldest, and the last error of a row that has one. */
  List<DestinationBacklog> backlog(Function<String, DestinationName> names) {
    return jdbc.query(
        "SELECT destination, count(*), min(enqueued_at), max(CASE WHEN last_error IS NULL THEN NULL ELSE id END)"
            + " FROM delivery_queue GROUP BY destination",
        statement -> {},
        rows -> {
          List<DestinationBacklog> result = new ArrayList<>();
          while (rows.next()) {
            result.add(
                new DestinationBacklog(
                    names.apply(rows.getString(1)),
                    rows.getLong(2),
                    Instant.ofEpochMilli(rows.getLong(3)),
                    lastErrorOf(rows.getLong(4), rows.wasNull())));
          }
          return result;
        });
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

  /** Rows per destination. */
  Map<String, Long> depths() {
    return jdbc.query(
        "SELECT destination, count(*) FROM delivery_queue GROUP BY destination",
        statement -> {},
        rows -> {
          Map<String, Long> depths = new HashMap<>();
          while (rows.next()) {
            depths.put(rows.getString(1), rows.getLong(2));
          }
          return depths;
        });
  }

  List<DeadLetter> deadLetters(DestinationName destination, int limit) {
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
            Optional<MembershipChange> change;
            try {
              change = Optional.of(changeOf(rows));
            } catch (IllegalArgumentException | IllegalStateException unreadable) {
              change = Optional.empty();
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

  private static String truncate(String error) {
    return error == null || error.length() <= ERROR_CHARS ? error : error.substring(0, ERROR_CHARS);
  }
}

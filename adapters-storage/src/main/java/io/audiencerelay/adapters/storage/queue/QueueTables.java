package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.adapters.storage.jdbc.StorageException;
import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;
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
import java.sql.Statement;
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
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

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
  private static final Logger LOG = Logger.getLogger(JdbcDeliveryQueue.class.getName());

  /**
   * How far past a claim's size it looks into the due order for changes of free segments: a claim
   * that finds only a segment in flight costs a walk of this many rows, under the claims' turn.
   */
  private static final int FRONT_BEYOND_CLAIM = 1_000;

  /** A claim statement's bound on PostgreSQL: past it, the claim is cancelled and retried. */
  static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(5);

  // PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout.
  private static final String QUERY_CANCELED = "57014";

  // PostgreSQL numbers the acceptance order itself (seq's default); on SQLite it comes from the
  // journal position.
  private static final String INSERT =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)";
  private static final String INSERT_WITH_SEQ =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at, seq)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";
  // The same, with the holder of the row's lease last.
  private static final String INSERT_HELD =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at, lease_owner)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";
  private static final String INSERT_HELD_WITH_SEQ =
      "INSERT INTO delivery_queue (destination, feed_id, segment_id, datamart_id, operation, identifiers,"
          + " observed_at, enqueued_at, attempts, next_attempt_at, seq, lease_owner)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)";

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

  /**
   * Inserts rows one by one, held by {@code owner} (a change taken from the fast lane on its way to
   * a retry or a dead letter), and returns their database ids, in order.
   */
  List<Long> insertReturningIds(
      Connection connection, List<JournalRecords.QueueRow> rows, String owner) throws SQLException {
    List<Long> ids = new ArrayList<>(rows.size());
    try (PreparedStatement insert =
        connection.prepareStatement(
            (numbered ? INSERT_HELD_WITH_SEQ : INSERT_HELD) + " RETURNING id")) {
      for (JournalRecords.QueueRow row : rows) {
        bind(insert, row);
        insert.setString(numbered ? 11 : 10, owner);
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
            "SELECT enqueued_at" + due + " ORDER BY next_attempt_at, seq LIMIT 1",
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
   * Leases up to {@code limit} due rows to {@code owner}, in statements of {@code chunk} rows and
   * until they weigh {@code maxBytes}, in one transaction; a row this version cannot read is put in
   * {@code unreadable} (id, reason) instead. A leased row's next attempt moves to its lease's end,
   * so the due index no longer holds it at its front: a claim walks due rows only, however many
   * others hold leases, and a lease that runs out makes its row due again. On PostgreSQL a claim
   * that runs past {@link #CLAIM_TIMEOUT} is cancelled and claims nothing.
   *
   * <p>Claims of one destination take turns, in this relay and across relays (an advisory lock on
   * PostgreSQL, SQLite's one writer): two claims that run at once both walk the front of the due
   * order and, skipping each other's locked rows, share a segment's changes out one by one, and
   * each worker then waits on the other for almost every change (a segment's changes go in their
   * order). Taking turns, a claim takes consecutive changes.
   */
  List<QueuedChange> claim(
      DestinationName destination,
      int limit,
      int chunk,
      long maxBytes,
      ToLongFunction<List<QueuedChange>> weight,
      Instant now,
      Duration lease,
      String owner,
      Map<Long, String> unreadable) {
    boolean postgresql = database.dialect() == Database.Dialect.POSTGRESQL;
    String columns =
        "id, feed_id, segment_id, datamart_id, operation, identifiers, observed_at, attempts,"
            + " enqueued_at, seq";
    // Segments with changes in flight at another claim (this claim's own leases excepted: a claim
    // takes its rows in several statements) are left out: a segment's changes go one claim at a
    // time, so no worker waits on another for the order of a segment's changes.
    String busy =
        "busy AS (SELECT DISTINCT feed_id, segment_id FROM delivery_queue WHERE destination = ?"
            + " AND leased_until >= ? AND NOT (lease_owner = ? AND leased_until = ?))";
    // The front of the due order, bounded: a claim never walks the whole of a deep queue.
    String front =
        "front AS (SELECT id, feed_id, segment_id, next_attempt_at, seq FROM delivery_queue"
            + " WHERE destination = ? AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until < ?)"
            + " ORDER BY next_attempt_at, seq LIMIT ?)";
    String pick =
        "SELECT f.id FROM front f WHERE (f.feed_id, f.segment_id) NOT IN (SELECT feed_id, segment_id FROM busy)"
            + " ORDER BY f.next_attempt_at, f.seq LIMIT ?";
    // PostgreSQL: the rows are picked once, in a CTE, and locked as they are picked. In the form
    // "UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n)" the planner may run the
    // subquery again (a semi-join rescanned, or a recheck after a concurrent update), each run
    // skipping other rows, at a cost no bound holds (docs/OPERATIONS.md, PostgreSQL).
    String sql =
        postgresql
            ? "WITH "
                + busy.replace("busy AS (", "busy AS MATERIALIZED (")
                + ", "
                + front.replace("front AS (", "front AS MATERIALIZED (")
                + ", picked AS (SELECT q.id FROM delivery_queue q WHERE q.id IN ("
                + pick
                + ") FOR UPDATE OF q SKIP LOCKED) UPDATE delivery_queue AS q"
                + " SET leased_until = ?, next_attempt_at = ?, lease_owner = ? FROM picked"
                + " WHERE q.id = picked.id"
                + " RETURNING q."
                + columns.replace(", ", ", q.")
            : "WITH "
                + busy
                + ", "
                + front
                + " UPDATE delivery_queue SET leased_until = ?, next_attempt_at = ?, lease_owner = ?"
                + " WHERE id IN ("
                + pick
                + ") RETURNING "
                + columns;
    long leaseEnd = now.plus(lease).toEpochMilli();
    // Parameters: busy (4), front (4), then the pick's limit and the lease (3) in the order each
    // dialect's statement names them.
    int limitAt = postgresql ? 9 : 12;
    int leaseAt = postgresql ? 10 : 9;
    try {
      return jdbc.transaction(
          connection -> {
            if (postgresql) {
              try (Statement turn = connection.createStatement()) {
                turn.execute("SET LOCAL statement_timeout = " + CLAIM_TIMEOUT.toMillis());
              }
              try (PreparedStatement turn =
                  connection.prepareStatement(
                      "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                turn.setString(1, "audience-relay claim " + destination.value());
                turn.execute();
              }
            }
            List<QueuedChange> items = new ArrayList<>(Math.min(limit, 10_000));
            long bytes = 0;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
              while (items.size() < limit && bytes < maxBytes) {
                int wanted = Math.min(chunk, limit - items.size());
                statement.setString(1, destination.value());
                statement.setLong(2, now.toEpochMilli());
                statement.setString(3, owner);
                statement.setLong(4, leaseEnd);
                statement.setString(5, destination.value());
                statement.setLong(6, now.toEpochMilli());
                statement.setLong(7, now.toEpochMilli());
                statement.setInt(8, wanted + FRONT_BEYOND_CLAIM);
                statement.setInt(limitAt, wanted);
                statement.setLong(leaseAt, leaseEnd);
                statement.setLong(leaseAt + 1, leaseEnd);
                statement.setString(leaseAt + 2, owner);
                List<QueuedChange> taken = new ArrayList<>(wanted);
                int rowsTaken = 0;
                try (ResultSet rows = statement.executeQuery()) {
                  while (rows.next()) {
                    rowsTaken++;
                    try {
                      taken.add(queuedChange(destination, rows));
                    } catch (IllegalArgumentException | IllegalStateException e) {
                      unreadable.put(rows.getLong(1), e.getMessage());
                    }
                  }
                }
                items.addAll(taken);
                bytes += weight.applyAsLong(taken);
                if (rowsTaken < wanted) {
                  break;
                }
              }
            }
            return items;
          });
    } catch (StorageException e) {
      if (e.getCause() instanceof SQLException cause
          && QUERY_CANCELED.equals(cause.getSQLState())) {
        LOG.warning(
            () ->
                "a claim of up to "
                    + limit
                    + " changes for destination '"
                    + destination
                    + "' ran past its bound of "
                    + CLAIM_TIMEOUT.toMillis()
                    + " ms and was cancelled; nothing was claimed, the next poll tries again."
                    + " A claim this slow means a bloated queue table (see docs/OPERATIONS.md,"
                    + " PostgreSQL) or an overloaded database");
        return List.of();
      }
      throw e;
    }
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

  /**
   * Deletes the rows {@code owner} holds, a chunk of ids per statement, and counts them per
   * destination. A row whose lease another holder took over is left to that holder.
   */
  Map<String, Integer> deleteCounted(Connection connection, List<Long> ids, String owner)
      throws SQLException {
    Map<String, Integer> removed = new HashMap<>();
    for (int from = 0; from < ids.size(); from += DELETE_CHUNK) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + DELETE_CHUNK));
      String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM delivery_queue WHERE lease_owner = ? AND id IN ("
                  + marks
                  + ") RETURNING destination")) {
        delete.setString(1, owner);
        for (int i = 0; i < chunk.size(); i++) {
          delete.setLong(i + 2, chunk.get(i));
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

  /** Sets the next attempt and error of the rows {@code owner} holds, and releases their lease. */
  void reschedule(
      Connection connection,
      List<Long> ids,
      String owner,
      Instant nextAttemptAt,
      String error,
      int spent)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE delivery_queue SET attempts = attempts + ?, next_attempt_at = ?, leased_until = NULL,"
                + " lease_owner = NULL, last_error = ? WHERE id = ? AND lease_owner = ?")) {
      for (long id : ids) {
        statement.setInt(1, spent);
        statement.setLong(2, nextAttemptAt.toEpochMilli());
        statement.setString(3, truncate(error));
        statement.setLong(4, id);
        statement.setString(5, owner);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /**
   * Copies the rows {@code owner} holds to the dead letters, then deletes them; counts them per
   * destination.
   */
  Map<String, Integer> deadLetter(
      Connection connection, List<Long> ids, String owner, String error, Instant now)
      throws SQLException {
    if (database.dialect() == Database.Dialect.POSTGRESQL) {
      // Locked first, so that no other relay takes a row over between its copy and its delete.
      ids = lockOwned(connection, ids, owner);
    }
    try (PreparedStatement copy =
        connection.prepareStatement(
            "INSERT INTO dead_letter (id, destination, feed_id, segment_id, datamart_id, operation,"
                + " identifiers, observed_at, enqueued_at, attempts, dead_at, error)"
                + " SELECT id, destination, feed_id, segment_id, datamart_id, operation, identifiers,"
                + " observed_at, enqueued_at, attempts + 1, ?, ? FROM delivery_queue"
                + " WHERE id = ? AND lease_owner = ?")) {
      for (long id : ids) {
        copy.setLong(1, now.toEpochMilli());
        copy.setString(2, truncate(error));
        copy.setLong(3, id);
        copy.setString(4, owner);
        copy.addBatch();
      }
      copy.executeBatch();
    }
    return deleteCounted(connection, ids, owner);
  }

  /** The ids among {@code ids} that {@code owner} holds, each row locked until the commit. */
  private static List<Long> lockOwned(Connection connection, List<Long> ids, String owner)
      throws SQLException {
    List<Long> owned = new ArrayList<>(ids.size());
    try (PreparedStatement lock =
        connection.prepareStatement(
            "SELECT id FROM delivery_queue WHERE id = ANY (?) AND lease_owner = ? FOR UPDATE")) {
      lock.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
      lock.setString(2, owner);
      try (ResultSet rows = lock.executeQuery()) {
        while (rows.next()) {
          owned.add(rows.getLong(1));
        }
      }
    }
    return owned;
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
    return newestDeadLetters(DeadLetterQuery.of(destination), limit);
  }

  private static final String DEAD_LETTER_COLUMNS =
      "SELECT id, feed_id, segment_id, datamart_id, operation, identifiers, observed_at, attempts,"
          + " enqueued_at, dead_at, error, destination FROM dead_letter";

  List<DeadLetter> newestDeadLetters(DeadLetterQuery query, int limit) {
    Where where = Where.of(query, Long.MIN_VALUE);
    return jdbc.query(
        DEAD_LETTER_COLUMNS + where.sql + " ORDER BY dead_at DESC, id DESC LIMIT ?",
        statement -> statement.setInt(where.bind(statement), limit),
        QueueTables::deadLetterRows);
  }

  List<DeadLetter> deadLettersAfter(DeadLetterQuery query, long afterId, int limit) {
    Where where = Where.of(query, afterId);
    return jdbc.query(
        DEAD_LETTER_COLUMNS + where.sql + " ORDER BY id LIMIT ?",
        statement -> statement.setInt(where.bind(statement), limit),
        QueueTables::deadLetterRows);
  }

  long countDeadLetters(DeadLetterQuery query) {
    Where where = Where.of(query, Long.MIN_VALUE);
    return jdbc.query(
        "SELECT count(*) FROM dead_letter" + where.sql,
        where::bind,
        rows -> rows.next() ? rows.getLong(1) : 0L);
  }

  int removeDeadLetters(List<Long> ids) {
    int removed = 0;
    for (int from = 0; from < ids.size(); from += 500) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      removed +=
          jdbc.update(
              "DELETE FROM dead_letter WHERE id IN ("
                  + String.join(",", java.util.Collections.nCopies(chunk.size(), "?"))
                  + ")",
              statement -> {
                for (int i = 0; i < chunk.size(); i++) {
                  statement.setLong(i + 1, chunk.get(i));
                }
              });
    }
    return removed;
  }

  /** A query's criteria as SQL, with the values to bind in order. */
  private record Where(String sql, List<Object> values) {
    static Where of(DeadLetterQuery query, long afterId) {
      List<String> clauses = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      if (afterId != Long.MIN_VALUE) {
        clauses.add("id > ?");
        values.add(afterId);
      }
      query
          .destination()
          .ifPresent(
              d -> {
                clauses.add("destination = ?");
                values.add(d.value());
              });
      query
          .segmentId()
          .ifPresent(
              id -> {
                clauses.add("segment_id = ?");
                values.add(id);
              });
      query
          .reasonContains()
          .ifPresent(
              reason -> {
                // LIKE with every wildcard escaped: the operator's text is matched as written.
                clauses.add("error LIKE ? ESCAPE '\\'");
                values.add(
                    "%"
                        + reason.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                        + "%");
              });
      return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), values);
    }

    /** Binds the values; answers the next parameter's index. */
    int bind(java.sql.PreparedStatement statement) throws SQLException {
      int at = 1;
      for (Object value : values) {
        if (value instanceof Long number) {
          statement.setLong(at++, number);
        } else {
          statement.setString(at++, (String) value);
        }
      }
      return at;
    }
  }

  private static List<DeadLetter> deadLetterRows(ResultSet rows) throws SQLException {
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
              new DestinationName(rows.getString(12)),
              change,
              rows.getInt(8),
              Instant.ofEpochMilli(rows.getLong(9)),
              Instant.ofEpochMilli(rows.getLong(10)),
              rows.getString(11)));
    }
    return letters;
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

package io.audiencerelay.adapters.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Statements and transactions on the relay's database, with failures reported as {@link
 * StorageException}.
 */
public final class Jdbc {
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  public interface Reader<T> {
    T read(ResultSet rows) throws SQLException;
  }

  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Database database;

  public Jdbc(Database database) {
    this.database = database;
  }

  public Database database() {
    return database;
  }

  public <T> T query(String sql, Binder binder, Reader<T> reader) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        return reader.read(rows);
      }
    } catch (SQLException e) {
      throw new StorageException("query failed on " + database, e);
    }
  }

  /**
   * Runs the work in one transaction: committed when it returns, rolled back when it throws. The
   * exception thrown is the work's or the commit's own, whatever the rollback says after it.
   */
  public <T> T transaction(Work<T> work) {
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollBack(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("update failed on " + database, e);
    }
  }

  /**
   * SQLite ends a transaction itself on some failures (a full disk during a commit): its rollback
   * then fails, and the driver keeps the connection in a state where every later transaction fails
   * too. Such a connection leaves the pool, so the next transaction gets a fresh one.
   */
  private void rollBack(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
      database.discard(connection);
    }
  }

  public int update(String sql, Binder binder) {
    return transaction(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
          }
        });
  }
}

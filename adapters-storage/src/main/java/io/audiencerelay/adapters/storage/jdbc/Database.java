package io.audiencerelay.adapters.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.audiencerelay.application.logging.FailureStreak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The relay's database: an embedded SQLite file by default, PostgreSQL when several relays share
 * one queue. Opening it applies the versioned migrations under {@code db/migration/<dialect>}.
 */
public final class Database implements AutoCloseable {

  /** The SQL dialects the stores speak. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final String description;
  private final Path sqliteFile;

  private Database(
      HikariDataSource dataSource, Dialect dialect, String description, Path sqliteFile) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.description = description;
    this.sqliteFile = sqliteFile;
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/" + dialect.name().toLowerCase(java.util.Locale.ROOT))
        .load()
        .migrate();
  }

  /**
   * Opens the pool and migrates the schema; a database that cannot be opened (a read-only data
   * directory, a server away, a wrong password) is a {@link StorageException} naming the store and
   * the deepest cause, which is what the operator must fix.
   */
  private static Database open(
      HikariConfig pool, Dialect dialect, String description, Path sqliteFile) {
    HikariDataSource dataSource = null;
    try {
      dataSource = new HikariDataSource(pool);
      return new Database(dataSource, dialect, description, sqliteFile);
    } catch (RuntimeException e) {
      if (dataSource != null) {
        dataSource.close();
      }
      throw new StorageException("cannot open " + description, FailureStreak.deepestCause(e));
    }
  }

  /**
   * Opens (creating if needed) a SQLite database file. Commits are synced to disk before they
   * return (WAL with {@code synchronous=FULL}), so an answered write survives a crash of the
   * process or the machine.
   */
  public static Database sqlite(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the data directory for " + file + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(10_000);
    // Take the write lock when a transaction starts, so two writers queue up instead of failing on
    // lock upgrade.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(sqlite);
    pool.setMaximumPoolSize(4);
    pool.setPoolName("relay-sqlite");
    return open(pool, Dialect.SQLITE, "SQLite " + file.toAbsolutePath(), file.toAbsolutePath());
  }

  /** Connects to PostgreSQL; the password is never logged. */
  public static Database postgresql(String jdbcUrl, String user, String password, int poolSize) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(jdbcUrl);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setMaximumPoolSize(poolSize);
    pool.setPoolName("relay-postgresql");
    // A server that is away (restarting, failing over) fails a wait for a connection after 5 s, not
    // Hikari's 30: an update is answered the protocol's retry while the platform still waits.
    pool.setConnectionTimeout(5_000);
    // A group of accepted changes goes as multi-row INSERTs, not one round trip per row: the accept
    // path's one durable write per group of requests.
    pool.addDataSourceProperty("reWriteBatchedInserts", "true");
    return open(pool, Dialect.POSTGRESQL, "PostgreSQL " + withoutParameters(jdbcUrl), null);
  }

  /** The URL as logs may show it: its parameters (which may carry a password) left out. */
  static String withoutParameters(String jdbcUrl) {
    int parameters = jdbcUrl.indexOf('?');
    return parameters < 0 ? jdbcUrl : jdbcUrl.substring(0, parameters) + "?…";
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Takes a connection in an unknown state out of the pool; it is closed once given back. */
  void discard(java.sql.Connection connection) {
    dataSource.evictConnection(connection);
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The database file, for an embedded SQLite database. */
  public java.util.Optional<Path> sqliteFile() {
    return java.util.Optional.ofNullable(sqliteFile);
  }

  @Override
  public String toString() {
    return description;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}

package io.audiencerelay.adapters.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full database ({@code max_page_count} stands in for a full disk: SQLite answers SQLITE_FULL
 * either way) must not poison the pooled connection: once there is room again, the next transaction
 * commits, and the failure names its real cause.
 */
class JdbcTest {
  @TempDir Path directory;
  private Database database;
  private Jdbc jdbc;

  @BeforeEach
  void open() {
    database = TestDatabases.sqlite(directory);
    jdbc = new Jdbc(database);
    jdbc.update("CREATE TABLE filler (payload BLOB)", statement -> {});
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aTransactionAfterTheDatabaseWasFullCommits() {
    assertThatThrownBy(this::fillUntilFull)
        .isInstanceOf(StorageException.class)
        .rootCause()
        .hasMessageContaining("SQLITE_FULL");

    for (int i = 0; i < 5; i++) {
      jdbc.transaction(
          connection -> {
            try (Statement statement = connection.createStatement()) {
              statement.execute("PRAGMA max_page_count = 1000000");
              return statement.executeUpdate("INSERT INTO filler VALUES (zeroblob(100))");
            }
          });
    }
    int committed =
        jdbc.query(
            "SELECT count(*) FROM filler WHERE length(payload) = 100",
            statement -> {},
            rows -> rows.next() ? rows.getInt(1) : 0);
    assertThat(committed).isEqualTo(5);
  }

  private void fillUntilFull() {
    jdbc.transaction(
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA max_page_count = 40");
            for (int i = 0; i < 1_000; i++) {
              statement.executeUpdate("INSERT INTO filler VALUES (zeroblob(4000))");
            }
          }
          return null;
        });
  }
}

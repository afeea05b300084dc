package io.audiencerelay.adapters.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @Test
  void aPostgresqlUrlIsShownWithoutItsParametersWhichMayHoldAPassword() {
    assertThat(
            Database.withoutParameters(
                "jdbc:postgresql://db:5432/relay?user=relay&password=s3cret"))
        .isEqualTo("jdbc:postgresql://db:5432/relay?…")
        .doesNotContain("s3cret");
    assertThat(Database.withoutParameters("jdbc:postgresql://db:5432/relay"))
        .isEqualTo("jdbc:postgresql://db:5432/relay");
  }

  @Test
  void aSqliteFileThatCannotBeOpenedIsAStorageErrorNamingTheFileAndTheCause(@TempDir Path dir) {
    // A directory where the database file should be: SQLite cannot open it, as on a read-only disk.
    assertThatThrownBy(() -> Database.sqlite(dir))
        .isInstanceOf(StorageException.class)
        .hasMessage("cannot open SQLite " + dir.toAbsolutePath())
        .cause()
        .hasMessageContaining("SQLITE_CANTOPEN");
  }

  @Test
  void aPostgresqlServerThatIsAwayIsAStorageErrorWithoutThePassword() {
    assertThatThrownBy(
            () ->
                Database.postgresql(
                    "jdbc:postgresql://127.0.0.1:1/relay?connectTimeout=2", "relay", "s3cret", 2))
        .isInstanceOf(StorageException.class)
        .hasMessage("cannot open PostgreSQL jdbc:postgresql://127.0.0.1:1/relay?…")
        .satisfies(e -> assertThat(e.getCause().getMessage()).doesNotContain("s3cret"))
        .cause()
        .hasMessageContaining("Connection refused");
  }
}

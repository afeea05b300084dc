package io.audiencerelay.adapters.storage.pauses;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.TestDatabases;
import io.audiencerelay.application.contract.PauseStoreContract;
import io.audiencerelay.application.port.out.PauseStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class JdbcPauseStoreTest {
  @Nested
  class OnSqlite extends PauseStoreContract {
    @TempDir Path directory;
    Database database;

    @Override
    protected PauseStore store() {
      database = TestDatabases.sqlite(directory);
      return new JdbcPauseStore(database);
    }

    @AfterEach
    void close() {
      database.close();
    }
  }

  @Nested
  class OnPostgresql extends PauseStoreContract {
    Database database;

    @Override
    protected PauseStore store() {
      database = TestDatabases.postgresql();
      return new JdbcPauseStore(database);
    }

    @AfterEach
    void close() {
      database.close();
    }
  }
}

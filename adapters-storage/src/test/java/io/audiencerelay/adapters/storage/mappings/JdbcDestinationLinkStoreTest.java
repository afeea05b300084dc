package io.audiencerelay.adapters.storage.mappings;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.TestDatabases;
import io.audiencerelay.application.contract.DestinationLinkStoreContract;
import io.audiencerelay.application.port.out.DestinationLinkStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class JdbcDestinationLinkStoreTest {
  @Nested
  class OnSqlite extends DestinationLinkStoreContract {
    @TempDir Path directory;
    Database database;

    @Override
    protected DestinationLinkStore newStore() {
      database = TestDatabases.sqlite(directory);
      return new JdbcDestinationLinkStore(database, java.time.Clock.systemUTC());
    }

    @AfterEach
    void close() {
      database.close();
    }
  }

  @Nested
  class OnPostgresql extends DestinationLinkStoreContract {
    Database database;

    @Override
    protected DestinationLinkStore newStore() {
      database = TestDatabases.postgresql();
      return new JdbcDestinationLinkStore(database, java.time.Clock.systemUTC());
    }

    @AfterEach
    void close() {
      database.close();
    }
  }
}

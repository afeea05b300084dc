package io.audiencerelay.adapters.storage.mappings;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.TestDatabases;
import io.audiencerelay.application.contract.SegmentMappingStoreContract;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class JdbcSegmentMappingStoreTest {
  @Nested
  class OnSqlite extends SegmentMappingStoreContract {
    @TempDir Path directory;
    Database database;

    @Override
    protected SegmentMappingStore newStore() {
      database = TestDatabases.sqlite(directory);
      return new JdbcSegmentMappingStore(database);
    }

    @AfterEach
    void close() {
      database.close();
    }
  }

  @Nested
  class OnPostgresql extends SegmentMappingStoreContract {
    Database database;

    @Override
    protected SegmentMappingStore newStore() {
      database = TestDatabases.postgresql();
      return new JdbcSegmentMappingStore(database);
    }

    @AfterEach
    void close() {
      database.close();
    }
  }
}

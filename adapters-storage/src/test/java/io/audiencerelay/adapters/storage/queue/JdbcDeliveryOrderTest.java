package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.TestDatabases;
import io.audiencerelay.application.contract.DeliveryOrderContract;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** A user's changes reach the partner in order through the real queue and its own paths. */
class JdbcDeliveryOrderTest {
  abstract static class Base extends DeliveryOrderContract {
    final List<AutoCloseable> opened = new ArrayList<>();

    abstract Database database();

    @Override
    @SuppressWarnings("unchecked")
    protected <Q extends DeliveryQueue & DeliveryBacklog> Q queue() {
      Database database = database();
      JdbcDeliveryQueue queue =
          new JdbcDeliveryQueue(database, clock, 1_000_000, Duration.ofSeconds(1));
      opened.add(database);
      opened.add(queue);
      return (Q) queue;
    }

    @Override
    protected long[] seeds() {
      return new long[] {1, 2, 3};
    }

    @AfterEach
    void close() throws Exception {
      for (AutoCloseable resource : opened.reversed()) {
        resource.close();
      }
      opened.clear();
    }
  }

  @Nested
  class OnSqlite extends Base {
    @TempDir Path directory;

    @Override
    Database database() {
      return TestDatabases.sqlite(directory);
    }
  }

  @Nested
  class OnPostgresql extends Base {
    @Override
    Database database() {
      return TestDatabases.postgresql();
    }
  }
}

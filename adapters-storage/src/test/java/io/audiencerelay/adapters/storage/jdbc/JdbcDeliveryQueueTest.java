package io.audiencerelay.adapters.storage.jdbc;

import io.audiencerelay.application.contract.DeliveryBacklogContract;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

class JdbcDeliveryQueueTest {
  abstract static class Base extends DeliveryBacklogContract {
    final List<AutoCloseable> opened = new ArrayList<>();

    abstract Database database();

    @Override
    @SuppressWarnings("unchecked")
    protected <Q extends DeliveryQueue & DeliveryBacklog> Q queue(long maxDepth) {
      Database database = database();
      JdbcDeliveryQueue queue =
          new JdbcDeliveryQueue(database, new MutableClock(NOW), maxDepth, Duration.ofSeconds(1));
      opened.add(database);
      opened.add(queue);
      return (Q) queue;
    }

    @AfterEach
    void close() throws Exception {
      for (AutoCloseable resource : opened.reversed()) {
        resource.close();
      }
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

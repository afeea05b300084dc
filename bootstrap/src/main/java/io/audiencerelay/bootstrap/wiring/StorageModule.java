package io.audiencerelay.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.mappings.JdbcDestinationLinkStore;
import io.audiencerelay.adapters.storage.mappings.JdbcSegmentMappingStore;
import io.audiencerelay.adapters.storage.pauses.JdbcPauseStore;
import io.audiencerelay.adapters.storage.queue.JdbcDeliveryQueue;
import io.audiencerelay.adapters.storage.tokens.JdbcTokenStore;
import io.audiencerelay.adapters.storage.tokens.TokenCipher;
import io.audiencerelay.application.port.out.DeadLetterStore;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DestinationLinkStore;
import io.audiencerelay.application.port.out.PauseStore;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.bootstrap.config.RelayConfig;
import io.audiencerelay.bootstrap.config.StorageSettings;
import io.audiencerelay.bootstrap.config.TokenKeys;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The relay's database and the stores on it: SQLite under the data directory, or a shared
 * PostgreSQL.
 */
@Module
interface StorageModule {

  @Provides
  @Singleton
  static Database database(RelayConfig config) {
    StorageSettings storage = config.storage();
    return storage
        .postgresql()
        .map(pg -> Database.postgresql(pg.url(), pg.user(), pg.password(), pg.poolSize()))
        .orElseGet(() -> Database.sqlite(storage.dataDirectory().resolve("relay.db")));
  }

  @Provides
  @Singleton
  static JdbcDeliveryQueue jdbcDeliveryQueue(Database database, Clock clock, RelayConfig config) {
    return new JdbcDeliveryQueue(
        database,
        clock,
        config.storage().maxDepthPerDestination(),
        config.storage().busyRetryAfter());
  }

  @Provides
  static DeadLetterStore deadLetterStore(JdbcDeliveryQueue queue) {
    return queue;
  }

  @Provides
  @Singleton
  static PauseStore pauseStore(Database database) {
    return new JdbcPauseStore(database);
  }

  @Provides
  static DeliveryBacklog deliveryBacklog(JdbcDeliveryQueue queue) {
    return queue;
  }

  @Provides
  @Singleton
  static SegmentMappingStore segmentMappingStore(Database database) {
    return new JdbcSegmentMappingStore(database);
  }

  @Provides
  @Singleton
  static DestinationLinkStore destinationLinkStore(Database database, Clock clock) {
    return new JdbcDestinationLinkStore(database, clock);
  }

  @Provides
  @Singleton
  static TokenStore tokenStore(Database database, RelayConfig config, Clock clock) {
    TokenCipher cipher = TokenKeys.cipher(config.storage());
    return cipher == null
        ? new UnconfiguredTokenStore()
        : new JdbcTokenStore(database, cipher, clock);
  }
}

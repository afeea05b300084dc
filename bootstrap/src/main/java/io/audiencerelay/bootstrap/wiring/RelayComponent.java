package io.audiencerelay.bootstrap.wiring;

import dagger.BindsInstance;
import dagger.Component;
import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.queue.JdbcDeliveryQueue;
import io.audiencerelay.application.delivery.DeliveryScheduler;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.bootstrap.config.RelayConfig;
import io.helidon.webserver.WebServer;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;

/** The assembled relay. */
@Singleton
@Component(modules = {RelayModule.class, StorageModule.class, PartnersModule.class})
public interface RelayComponent {

  /** Not started yet. */
  WebServer webServer();

  /**
   * Building it checks every destination against its partner: call before starting to fail early.
   */
  DestinationDirectory destinations();

  Map<String, PartnerConnector> partners();

  DeliveryScheduler deliveryScheduler();

  io.audiencerelay.bootstrap.observability.DepthSampler depthSampler();

  JdbcDeliveryQueue queue();

  Database database();

  io.audiencerelay.application.port.out.TokenStore tokenStore();

  @Component.Factory
  interface Factory {
    RelayComponent create(@BindsInstance RelayConfig config, @BindsInstance Clock clock);
  }

  static RelayComponent create(RelayConfig config, Clock clock) {
    return DaggerRelayComponent.factory().create(config, clock);
  }
}

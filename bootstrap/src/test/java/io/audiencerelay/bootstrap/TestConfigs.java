package io.audiencerelay.bootstrap;

import io.audiencerelay.adapters.http.in.HttpSettings;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.bootstrap.config.MappSettings;
import io.audiencerelay.bootstrap.config.RelayConfig;
import io.audiencerelay.bootstrap.config.RelayConfig.GatewaySettings;
import io.audiencerelay.bootstrap.config.StorageSettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Relay configurations for tests: loopback, any free port, SQLite in a temporary directory, no
 * linger.
 */
public final class TestConfigs {
  static final DeliverySettings QUICK =
      new DeliverySettings(
          Duration.ZERO,
          Duration.ofMinutes(1),
          Duration.ofMillis(50),
          Duration.ofSeconds(1),
          20,
          Duration.ofHours(1),
          0,
          1,
          0);

  private TestConfigs() {}

  public static RelayConfig config(
      Path dataDirectory,
      Optional<GatewaySettings> gateway,
      List<Destination> destinations,
      Map<FeedId, FeedProperties> feeds) {
    return config(dataDirectory, gateway, destinations, feeds, Optional.empty());
  }

  public static RelayConfig config(
      Path dataDirectory,
      Optional<GatewaySettings> gateway,
      List<Destination> destinations,
      Map<FeedId, FeedProperties> feeds,
      Optional<MappSettings> mapp) {
    Map<io.audiencerelay.domain.DestinationName, DeliverySettings> delivery = new HashMap<>();
    destinations.forEach(d -> delivery.put(d.name(), QUICK));
    return new RelayConfig(
        new HttpSettings(
            "127.0.0.1", 0, HttpSettings.DEFAULT_MAX_PAYLOAD_BYTES, Duration.ofSeconds(2)),
        gateway,
        destinations,
        feeds,
        "info",
        "test",
        Map.of("runtime", "java"),
        new StorageSettings(
            dataDirectory, Optional.empty(), Map.of(), null, 1_000_000, Duration.ofSeconds(1)),
        delivery,
        mapp,
        List.of(),
        Map.of(),
        Map.of());
  }
}

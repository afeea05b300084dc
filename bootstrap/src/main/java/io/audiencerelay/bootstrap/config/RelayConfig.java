package io.audiencerelay.bootstrap.config;

import io.audiencerelay.adapters.http.in.HttpSettings;
import io.audiencerelay.adapters.http.in.NetworkAllowList;
import io.audiencerelay.adapters.http.in.admin.AdminSettings;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the relay is started with, read from the environment and the {@code RELAY_CONFIG}
 * file.
 *
 * @param gateway the plugin gateway, or empty to take feeds from {@code feeds}
 * @param source where the configuration came from, for the start-up log line
 * @param metadata what {@code GET /v1/metadata} answers
 * @param storage where the queue, mappings and tokens are kept
 * @param delivery how each destination is delivered to
 * @param mapp the Mapp DMP DIY endpoint, or empty when it is off
 * @param syncedSegments the senders accepted at /api/v2/segment-targets/{integration key}
 * @param feedDestinationLinks feed destination id to destination, for the authentication routes
 * @param pluginVersionLinks plugin version id to destination, for the authentication routes
 * @param admin the admin listener, or empty when it is off
 * @param allowedNetworks the networks the protocol port answers
 */
public record RelayConfig(
    HttpSettings http,
    Optional<GatewaySettings> gateway,
    List<Destination> destinations,
    Map<FeedId, FeedProperties> feeds,
    String logLevel,
    String source,
    Map<String, Object> metadata,
    StorageSettings storage,
    Map<DestinationName, DeliverySettings> delivery,
    Optional<MappSettings> mapp,
    List<io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource> syncedSegments,
    Map<io.audiencerelay.domain.FeedDestinationId, DestinationName> feedDestinationLinks,
    Map<String, DestinationName> pluginVersionLinks,
    Optional<AdminSettings> admin,
    NetworkAllowList allowedNetworks) {
  /** A relay without an admin listener, open to every network (tests, tools). */
  public RelayConfig(
      HttpSettings http,
      Optional<GatewaySettings> gateway,
      List<Destination> destinations,
      Map<FeedId, FeedProperties> feeds,
      String logLevel,
      String source,
      Map<String, Object> metadata,
      StorageSettings storage,
      Map<DestinationName, DeliverySettings> delivery,
      Optional<MappSettings> mapp,
      List<io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource> syncedSegments,
      Map<io.audiencerelay.domain.FeedDestinationId, DestinationName> feedDestinationLinks,
      Map<String, DestinationName> pluginVersionLinks) {
    this(
        http,
        gateway,
        destinations,
        feeds,
        logLevel,
        source,
        metadata,
        storage,
        delivery,
        mapp,
        syncedSegments,
        feedDestinationLinks,
        pluginVersionLinks,
        Optional.empty(),
        NetworkAllowList.EVERYONE);
  }

  public RelayConfig {
    feedDestinationLinks = Map.copyOf(feedDestinationLinks);
    pluginVersionLinks = Map.copyOf(pluginVersionLinks);
    delivery = Map.copyOf(delivery);
    syncedSegments = List.copyOf(syncedSegments);
    destinations = List.copyOf(destinations);
    feeds = Map.copyOf(feeds);
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }

  /** The delivery settings of a destination, the defaults when it has none of its own. */
  public DeliverySettings deliveryOf(DestinationName destination) {
    return delivery.getOrDefault(destination, DeliverySettings.DEFAULTS);
  }

  /**
   * The mediarithmics plugin gateway and the worker credentials the relay authenticates with.
   *
   * @param authenticationToken secret: never printed
   */
  public record GatewaySettings(
      String host, int port, String workerId, String authenticationToken) {
    /** The gateway's base URL: plain HTTP inside the platform, as the SDK calls it. */
    public okhttp3.HttpUrl baseUrl() {
      return new okhttp3.HttpUrl.Builder().scheme("http").host(host).port(port).build();
    }

    @Override
    public String toString() {
      return "GatewaySettings[http://"
          + host
          + ":"
          + port
          + ", worker="
          + workerId
          + ", token=<redacted>]";
    }
  }
}

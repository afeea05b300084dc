package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.bootstrap.config.RelayConfig.GatewaySettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the relay's configuration: the SDK's environment variables, then the YAML (or JSON) file
 * named by {@code RELAY_CONFIG}, one section reader per part ({@link ServerSection}, {@link
 * StorageSection}, {@link DeliverySection}, {@link DestinationsSection}, {@link SourcesSection}).
 * Without a file, a demo configuration writes every update to {@code ./relay-data/out}. Every
 * problem is reported as one line naming the key.
 */
public final class ConfigLoader {
  static final String DEMO_DIRECTORY = "relay-data/out";
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "admin",
          "server",
          "log_level",
          "destinations",
          "feed_mode",
          "feeds",
          "storage",
          "queue",
          "delivery",
          "mapp",
          "synced_segments",
          "feed_destinations",
          "plugin_versions");

  private final ConfigValues values;
  private final ServerSection server;
  private final StorageSection storage;
  private final DeliverySection delivery;
  private final DestinationsSection destinations;
  private final SourcesSection sources;

  /** Where {@code RELAY_CONFIG=platform:<name>} reads the plugin version's configuration file. */
  public interface ConfigurationFiles {
    /**
     * The file's bytes, or empty when the platform has none by that name.
     *
     * @throws io.audiencerelay.application.port.out.PlatformUnavailableException when the gateway
     *     cannot be read
     */
    Optional<byte[]> read(String technicalName);
  }

  /** The prefix of {@code RELAY_CONFIG} that names a configuration file of the plugin version. */
  static final String PLATFORM_PREFIX = "platform:";

  private final Function<GatewaySettings, ConfigurationFiles> configurationFiles;

  public ConfigLoader(Map<String, String> env) {
    this(env, ConfigLoader::gatewayFiles);
  }

  public ConfigLoader(
      Map<String, String> env, Function<GatewaySettings, ConfigurationFiles> configurationFiles) {
    this.configurationFiles = configurationFiles;
    this.values = new ConfigValues(Map.copyOf(env));
    this.server = new ServerSection(values);
    this.storage = new StorageSection(values);
    this.delivery = new DeliverySection(values);
    this.destinations = new DestinationsSection(values, delivery);
    this.sources = new SourcesSection(values);
  }

  public RelayConfig load() {
    String file = values.rawEnv("RELAY_CONFIG");
    JsonNode root;
    String source;
    if (file == null || file.isBlank()) {
      root = demo();
      source =
          "built-in demo (no RELAY_CONFIG): updates go to "
              + Path.of(DEMO_DIRECTORY).toAbsolutePath();
    } else if (file.startsWith(PLATFORM_PREFIX)) {
      String name = file.substring(PLATFORM_PREFIX.length()).strip();
      source = "RELAY_CONFIG " + file + " (the plugin version's configuration file)";
      root = parse(platformFile(name), "RELAY_CONFIG " + file);
    } else {
      root = read(Path.of(file));
      source = "RELAY_CONFIG " + file;
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "RELAY_CONFIG " + file + ": the top level must be a mapping of keys");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!TOP_LEVEL.contains(key)) {
        throw new ConfigException(
            key
                + ": unknown key (known: "
                + String.join(", ", new java.util.TreeSet<>(TOP_LEVEL))
                + ")");
      }
    }
    DeliverySettings defaults =
        delivery.delivery(root.path("delivery"), "delivery", DeliverySettings.DEFAULTS);
    Map<DestinationName, DeliverySettings> deliveries = new LinkedHashMap<>();
    List<Destination> configured =
        destinations.destinations(
            root.path("destinations"),
            defaults,
            deliveries,
            destinations.feedMode(root.path("feed_mode"), "feed_mode", Destination.QUEUED));
    return new RelayConfig(
        server.http(root.path("server")),
        server.gateway(),
        configured,
        destinations.feeds(root.path("feeds")),
        values.text(root.path("log_level"), "log_level").orElse("info"),
        source,
        server.metadata(),
        storage.storage(root.path("storage"), root.path("queue")),
        deliveries,
        sources.mapp(root.path("mapp"), configured),
        sources.syncedSegments(root.path("synced_segments"), configured),
        destinations
            .links(root.path("feed_destinations"), "feed_destinations", configured)
            .entrySet()
            .stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    e -> new io.audiencerelay.domain.FeedDestinationId(e.getKey()),
                    Map.Entry::getValue)),
        destinations.links(root.path("plugin_versions"), "plugin_versions", configured),
        server.admin(root.path("admin")),
        server.allowedNetworks(root.path("server")));
  }

  private static JsonNode demo() {
    ObjectMapper mapper = new ObjectMapper();
    var root = mapper.createObjectNode();
    root.putObject("destinations")
        .putObject("demo")
        .put("type", "file")
        .put("directory", DEMO_DIRECTORY);
    return root;
  }

  /**
   * The plugin version's configuration file, read through the gateway: a relay run as a
   * mediarithmics plugin then needs no local file.
   */
  private byte[] platformFile(String name) {
    String key = "RELAY_CONFIG " + PLATFORM_PREFIX + name;
    if (name.isEmpty() || name.contains("/")) {
      throw new ConfigException(
          key + ": name the configuration file, for example platform:configuration");
    }
    GatewaySettings gateway =
        server
            .gateway()
            .orElseThrow(
                () ->
                    new ConfigException(
                        key
                            + ": reads the file through the plugin gateway, so PLUGIN_WORKER_ID and"
                            + " PLUGIN_AUTHENTICATION_TOKEN are required"));
    try {
      return configurationFiles
          .apply(gateway)
          .read(name)
          .orElseThrow(
              () ->
                  new ConfigException(
                      key
                          + ": the platform has no configuration file '"
                          + name
                          + "' for this plugin version"));
    } catch (io.audiencerelay.application.port.out.PlatformUnavailableException e) {
      throw new ConfigException(key + ": cannot read it: " + e.getMessage());
    }
  }

  private static ConfigurationFiles gatewayFiles(GatewaySettings gateway) {
    var client =
        new okhttp3.OkHttpClient.Builder()
            .followRedirects(false)
            .callTimeout(java.time.Duration.ofSeconds(30))
            .build();
    var http =
        new io.audiencerelay.adapters.platform.HttpPlatformGateway(
            client,
            gateway.baseUrl(),
            gateway.workerId(),
            gateway.authenticationToken(),
            new ObjectMapper());
    return http::configurationFile;
  }

  private static JsonNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("RELAY_CONFIG " + file + ": no such file");
    }
    try {
      return parse(Files.readAllBytes(file), "RELAY_CONFIG " + file);
    } catch (IOException e) {
      throw new ConfigException("RELAY_CONFIG " + file + ": cannot read: " + e.getMessage());
    }
  }

  private static JsonNode parse(byte[] content, String label) {
    try {
      // YAML is a superset of JSON: one parser reads both.
      JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(content);
      return node == null ? new ObjectMapper().createObjectNode() : node;
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new ConfigException(
          label
              + ": not valid YAML"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw new ConfigException(label + ": cannot read: " + e.getMessage());
    }
  }
}

package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
          "server",
          "log_level",
          "destinations",
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

  public ConfigLoader(Map<String, String> env) {
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
        destinations.destinations(root.path("destinations"), defaults, deliveries);
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
        destinations.links(root.path("plugin_versions"), "plugin_versions", configured));
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

  private static JsonNode read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("RELAY_CONFIG " + file + ": no such file");
    }
    try {
      // YAML is a superset of JSON: one parser reads both.
      JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      return node == null ? new ObjectMapper().createObjectNode() : node;
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new ConfigException(
          "RELAY_CONFIG "
              + file
              + ": not valid YAML"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw new ConfigException("RELAY_CONFIG " + file + ": cannot read: " + e.getMessage());
    }
  }
}

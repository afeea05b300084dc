package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.audiencerelay.adapters.http.in.HttpSettings;
import io.audiencerelay.adapters.http.in.synced.ResponseTemplate;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentParser;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.bootstrap.config.RelayConfig.GatewaySettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the relay's configuration: the SDK's environment variables, then the YAML (or JSON) file
 * named by {@code RELAY_CONFIG}. Without a file, a demo configuration writes every update to {@code
 * ./relay-data/out}. Every problem is reported as one line naming the key.
 */
public final class ConfigLoader {
  static final String DEMO_DIRECTORY = "relay-data/out";
  static final String DEFAULT_DATA_DIRECTORY = "relay-data";
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
  private static final Set<String> SYNCED_KEYS =
      Set.of("token", "destination", "preset", "parser", "response_template");
  private static final Set<String> MAPP_KEYS =
      Set.of(
          "secret",
          "destination",
          "basic_auth_user",
          "basic_auth_password",
          "sign_validate",
          "allow_unsigned");
  private static final Set<String> STORAGE_KEYS =
      Set.of("data_dir", "postgresql", "token_keys", "token_key_id");
  private static final Set<String> POSTGRESQL_KEYS = Set.of("url", "user", "password", "pool_size");
  private static final Set<String> QUEUE_KEYS =
      Set.of("max_depth_per_destination", "busy_retry_after_ms");
  private static final Set<String> DELIVERY_KEYS =
      Set.of(
          "linger_ms",
          "lease_seconds",
          "base_backoff_ms",
          "max_backoff_seconds",
          "max_attempts",
          "max_age_hours",
          "rate_limit_per_second",
          "concurrency",
          "max_batch_size");
  private static final Set<String> SERVER_KEYS =
      Set.of(
          "host", "port", "max_payload_bytes", "max_inflight_body_bytes", "shutdown_grace_seconds");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public RelayConfig load() {
    String file = env.get("RELAY_CONFIG");
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
        delivery(root.path("delivery"), "delivery", DeliverySettings.DEFAULTS);
    Map<DestinationName, DeliverySettings> delivery = new LinkedHashMap<>();
    List<Destination> destinations = destinations(root.path("destinations"), defaults, delivery);
    return new RelayConfig(
        http(root.path("server")),
        gateway(),
        destinations,
        feeds(root.path("feeds")),
        text(root.path("log_level"), "log_level").orElse("info"),
        source,
        metadata(),
        storage(root.path("storage"), root.path("queue")),
        delivery,
        mapp(root.path("mapp"), destinations),
        syncedSegments(root.path("synced_segments"), destinations),
        links(root.path("feed_destinations"), "feed_destinations", destinations).entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    e -> new io.audiencerelay.domain.FeedDestinationId(e.getKey()),
                    Map.Entry::getValue)),
        links(root.path("plugin_versions"), "plugin_versions", destinations));
  }

  /**
   * A mapping of platform ids (feed destinations, plugin versions) to configured destinations, with
   * which the authentication routes find their destination when several are configured.
   */
  private Map<String, DestinationName> links(
      JsonNode node, String key, List<Destination> destinations) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new ConfigException(key + ": must map platform ids to destination names");
    }
    Map<String, DestinationName> links = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var entry = it.next();
      String id = entry.getKey().strip();
      if (id.isEmpty()) {
        throw new ConfigException(key + ": an id must not be blank");
      }
      links.put(id, destinationFor(entry.getValue(), key + "." + id, destinations));
    }
    return links;
  }

  /**
   * Each sender by integration key: a token always, a destination, and a preset or explicit
   * pointers.
   */
  private List<SyncedSegmentSource> syncedSegments(JsonNode node, List<Destination> destinations) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isObject()) {
      throw new ConfigException("synced_segments: must map integration keys to their settings");
    }
    List<SyncedSegmentSource> sources = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var entry = it.next();
      String key = "synced_segments." + entry.getKey();
      JsonNode source = entry.getValue();
      checkKeys(source, key, SYNCED_KEYS);
      String token =
          text(source.path("token"), key + ".token")
              .filter(t -> !t.isBlank())
              .orElseThrow(
                  () ->
                      new ConfigException(key + ".token: is required (the sender's access token)"));
      DestinationName destination =
          destinationFor(source.path("destination"), key + ".destination", destinations);
      SyncedSegmentParser parser;
      JsonNode pointers = source.path("parser");
      Optional<String> preset = text(source.path("preset"), key + ".preset");
      if (!pointers.isMissingNode() && !pointers.isNull()) {
        if (preset.isPresent()) {
          throw new ConfigException(key + ": give either preset or parser, not both");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        flatten(pointers, "", settings, key + ".parser");
        try {
          parser = SyncedSegmentParser.fromSettings(settings);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key + ".parser: " + e.getMessage());
        }
      } else {
        String name = preset.orElse(entry.getKey()).toLowerCase(java.util.Locale.ROOT);
        parser = SyncedSegmentParser.presets().get(name);
        if (parser == null) {
          throw new ConfigException(
              key
                  + ".preset: '"
                  + name
                  + "' is not a built-in preset (known: "
                  + String.join(
                      ", ", new java.util.TreeSet<>(SyncedSegmentParser.presets().keySet()))
                  + "); or give parser pointers");
        }
      }
      ResponseTemplate template = null;
      Optional<String> templateText =
          text(source.path("response_template"), key + ".response_template");
      if (templateText.isEmpty() && (pointers.isMissingNode() || pointers.isNull())) {
        // A preset whose manifest defines an answer gives it, as LaunchDarkly does for that sender.
        templateText =
            SyncedSegmentParser.presetResponse(
                preset.orElse(entry.getKey()).toLowerCase(java.util.Locale.ROOT));
      }
      if (templateText.isPresent()) {
        try {
          template = new ResponseTemplate(templateText.get());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key + ".response_template: " + e.getMessage());
        }
      }
      sources.add(new SyncedSegmentSource(entry.getKey(), token, destination, parser, template));
    }
    return sources;
  }

  private static void flatten(JsonNode node, String prefix, Map<String, String> into, String key) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      String name = prefix + field.getKey();
      if (field.getValue().isObject()) {
        flatten(field.getValue(), name + ".", into, key);
      } else if (field.getValue().isValueNode()) {
        into.put(name, field.getValue().asText());
      } else {
        throw new ConfigException(key + "." + name + ": must be a JSON pointer or a mapping");
      }
    }
  }

  private DestinationName destinationFor(
      JsonNode node, String key, List<Destination> destinations) {
    Optional<String> named = text(node, key);
    if (named.isPresent()) {
      DestinationName name = new DestinationName(named.get());
      if (destinations.stream().noneMatch(d -> d.name().equals(name))) {
        throw new ConfigException(key + ": '" + named.get() + "' is not a configured destination");
      }
      return name;
    }
    if (destinations.size() == 1) {
      return destinations.getFirst().name();
    }
    throw new ConfigException(key + ": is required when several destinations are configured");
  }

  /** Off unless configured; when on, signed unless the user opts out in so many words. */
  private Optional<MappSettings> mapp(JsonNode mapp, List<Destination> destinations) {
    if (mapp.isMissingNode() || mapp.isNull()) {
      return Optional.empty();
    }
    checkKeys(mapp, "mapp", MAPP_KEYS);
    String secret = text(mapp.path("secret"), "mapp.secret").filter(v -> !v.isBlank()).orElse(null);
    boolean allowUnsigned = flag(mapp.path("allow_unsigned"), "mapp.allow_unsigned");
    if (secret == null && !allowUnsigned) {
      throw new ConfigException(
          "mapp.secret: is required (the X-HMAC key shared with Mapp); set mapp.allow_unsigned: true to run without"
              + " one");
    }
    String user = text(mapp.path("basic_auth_user"), "mapp.basic_auth_user").orElse(null);
    String password =
        text(mapp.path("basic_auth_password"), "mapp.basic_auth_password").orElse(null);
    if ((user == null) != (password == null)) {
      throw new ConfigException(
          "mapp.basic_auth_password: basic_auth_user and basic_auth_password go together");
    }
    Optional<String> named = text(mapp.path("destination"), "mapp.destination");
    DestinationName destination;
    if (named.isPresent()) {
      destination = new DestinationName(named.get());
      if (destinations.stream().noneMatch(d -> d.name().equals(destination))) {
        throw new ConfigException(
            "mapp.destination: '" + named.get() + "' is not a configured destination");
      }
    } else if (destinations.size() == 1) {
      destination = destinations.getFirst().name();
    } else {
      throw new ConfigException(
          "mapp.destination: is required when several destinations are configured");
    }
    return Optional.of(
        new MappSettings(
            secret,
            user,
            password,
            destination,
            flag(mapp.path("sign_validate"), "mapp.sign_validate")));
  }

  private boolean flag(JsonNode node, String key) {
    Optional<String> value = text(node, key);
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.get().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default ->
          throw new ConfigException(key + ": must be true or false, got '" + value.get() + "'");
    };
  }

  private StorageSettings storage(JsonNode storage, JsonNode queue) {
    checkKeys(storage, "storage", STORAGE_KEYS);
    checkKeys(queue, "queue", QUEUE_KEYS);
    Path dataDirectory =
        Path.of(text(storage.path("data_dir"), "storage.data_dir").orElse(DEFAULT_DATA_DIRECTORY));
    Optional<StorageSettings.PostgresqlSettings> postgresql = Optional.empty();
    JsonNode pg = storage.path("postgresql");
    if (!pg.isMissingNode() && !pg.isNull()) {
      checkKeys(pg, "storage.postgresql", POSTGRESQL_KEYS);
      String url =
          text(pg.path("url"), "storage.postgresql.url")
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "storage.postgresql.url: is required (jdbc:postgresql://...)"));
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new ConfigException(
            "storage.postgresql.url: must start with jdbc:postgresql:, got '" + url + "'");
      }
      postgresql =
          Optional.of(
              new StorageSettings.PostgresqlSettings(
                  url,
                  text(pg.path("user"), "storage.postgresql.user").orElse(null),
                  text(pg.path("password"), "storage.postgresql.password").orElse(null),
                  number(pg.path("pool_size"), "storage.postgresql.pool_size", 1, 200)
                      .orElse(10L)
                      .intValue()));
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    JsonNode tokenKeys = storage.path("token_keys");
    if (!tokenKeys.isMissingNode() && !tokenKeys.isNull()) {
      if (!tokenKeys.isObject()) {
        throw new ConfigException("storage.token_keys: must map key ids to base64 keys");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = tokenKeys.fields(); it.hasNext(); ) {
        var entry = it.next();
        String key = "storage.token_keys." + entry.getKey();
        byte[] bytes;
        try {
          bytes = java.util.Base64.getDecoder().decode(scalar(entry.getValue(), key).strip());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(
              key + ": must be base64 (for example from: openssl rand -base64 32)");
        }
        if (bytes.length != 32) {
          throw new ConfigException(
              key + ": must decode to 32 bytes (AES-256), got " + bytes.length);
        }
        keys.put(entry.getKey(), bytes);
      }
    }
    String activeKey = text(storage.path("token_key_id"), "storage.token_key_id").orElse(null);
    if (activeKey == null && keys.size() > 1) {
      throw new ConfigException(
          "storage.token_key_id: is required when several token keys are given");
    }
    if (activeKey != null && !keys.containsKey(activeKey)) {
      throw new ConfigException(
          "storage.token_key_id: '" + activeKey + "' is not one of storage.token_keys");
    }
    return new StorageSettings(
        dataDirectory,
        postgresql,
        keys,
        activeKey != null ? activeKey : keys.keySet().stream().findFirst().orElse(null),
        number(
                queue.path("max_depth_per_destination"),
                "queue.max_depth_per_destination",
                1,
                Long.MAX_VALUE)
            .orElse(1_000_000L),
        Duration.ofMillis(
            number(queue.path("busy_retry_after_ms"), "queue.busy_retry_after_ms", 1, 3_600_000)
                .orElse(1000L)));
  }

  private DeliverySettings delivery(JsonNode node, String key, DeliverySettings base) {
    if (node.isMissingNode() || node.isNull()) {
      return base;
    }
    checkKeys(node, key, DELIVERY_KEYS);
    double rate = base.ratePerSecond();
    Optional<String> rateText =
        text(node.path("rate_limit_per_second"), key + ".rate_limit_per_second");
    if (rateText.isPresent()) {
      try {
        rate = Double.parseDouble(rateText.get());
      } catch (NumberFormatException e) {
        rate = -1;
      }
      if (!(rate >= 0)) {
        throw new ConfigException(
            key
                + ".rate_limit_per_second: must be a number of calls per second, 0 for none; got '"
                + rateText.get()
                + "'");
      }
    }
    return new DeliverySettings(
        Duration.ofMillis(
            number(node.path("linger_ms"), key + ".linger_ms", 0, 600_000)
                .orElse(base.linger().toMillis())),
        Duration.ofSeconds(
            number(node.path("lease_seconds"), key + ".lease_seconds", 1, 86_400)
                .orElse(base.lease().toSeconds())),
        Duration.ofMillis(
            number(node.path("base_backoff_ms"), key + ".base_backoff_ms", 1, 3_600_000)
                .orElse(base.baseBackoff().toMillis())),
        Duration.ofSeconds(
            number(node.path("max_backoff_seconds"), key + ".max_backoff_seconds", 1, 86_400)
                .orElse(base.maxBackoff().toSeconds())),
        number(node.path("max_attempts"), key + ".max_attempts", 1, 1_000_000)
            .orElse((long) base.maxAttempts())
            .intValue(),
        Duration.ofHours(
            number(node.path("max_age_hours"), key + ".max_age_hours", 1, 24 * 365)
                .orElse(base.maxAge().toHours())),
        rate,
        number(node.path("concurrency"), key + ".concurrency", 1, 64)
            .orElse((long) base.concurrency())
            .intValue(),
        number(node.path("max_batch_size"), key + ".max_batch_size", 0, 1_000_000)
            .orElse((long) base.maxBatchSize())
            .intValue());
  }

  private static void checkKeys(JsonNode node, String key, Set<String> known) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(key + ": must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new ConfigException(
            key
                + "."
                + name
                + ": unknown key (known: "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
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

  private HttpSettings http(JsonNode server) {
    if (!server.isMissingNode() && !server.isObject()) {
      throw new ConfigException("server: must be a mapping");
    }
    for (Iterator<String> it = server.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!SERVER_KEYS.contains(key)) {
        throw new ConfigException(
            "server."
                + key
                + ": unknown key (known: host, max_payload_bytes, port, shutdown_grace_seconds)");
      }
    }
    String host = text(server.path("host"), "server.host").orElse("0.0.0.0");
    int port =
        env.containsKey("PLUGIN_PORT")
            ? (int) number(env.get("PLUGIN_PORT"), "PLUGIN_PORT", 0, 65535)
            : number(server.path("port"), "server.port", 0, 65535).orElse(8080L).intValue();
    long maxPayload =
        number(server.path("max_payload_bytes"), "server.max_payload_bytes", 1024, Long.MAX_VALUE)
            .orElse(HttpSettings.DEFAULT_MAX_PAYLOAD_BYTES);
    long grace =
        number(server.path("shutdown_grace_seconds"), "server.shutdown_grace_seconds", 0, 3600)
            .orElse(10L);
    long inflight =
        number(
                server.path("max_inflight_body_bytes"),
                "server.max_inflight_body_bytes",
                maxPayload,
                Long.MAX_VALUE)
            .orElse(HttpSettings.defaultInflightBodyBytes(maxPayload));
    return new HttpSettings(host, port, maxPayload, Duration.ofSeconds(grace), inflight);
  }

  /**
   * The gateway is used when {@code GATEWAY_HOST} is set or the platform's worker credentials are
   * present; host and port then default as in the SDK.
   */
  private Optional<GatewaySettings> gateway() {
    String host = blankToNull(env.get("GATEWAY_HOST"));
    String worker = blankToNull(env.get("PLUGIN_WORKER_ID"));
    String token = blankToNull(env.get("PLUGIN_AUTHENTICATION_TOKEN"));
    if (host == null && worker == null && token == null) {
      return Optional.empty();
    }
    if (worker == null) {
      throw new ConfigException(
          "PLUGIN_WORKER_ID: required to call the plugin gateway (Missing worker id)");
    }
    if (token == null) {
      throw new ConfigException(
          "PLUGIN_AUTHENTICATION_TOKEN: required to call the plugin gateway (Missing auth token)");
    }
    int port =
        env.containsKey("GATEWAY_PORT")
            ? (int) number(env.get("GATEWAY_PORT"), "GATEWAY_PORT", 1, 65535)
            : 8080;
    return Optional.of(
        new GatewaySettings(host == null ? "plugin-gateway.platform" : host, port, worker, token));
  }

  private List<Destination> destinations(
      JsonNode destinations,
      DeliverySettings defaults,
      Map<DestinationName, DeliverySettings> delivery) {
    if (destinations.isMissingNode() || destinations.isNull()) {
      throw new ConfigException("destinations: at least one destination is required");
    }
    if (!destinations.isObject() || destinations.isEmpty()) {
      throw new ConfigException("destinations: must map destination names to their settings");
    }
    List<Destination> result = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = destinations.fields(); it.hasNext(); ) {
      var entry = it.next();
      String key = "destinations." + entry.getKey();
      DestinationName name;
      try {
        name = new DestinationName(entry.getKey());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
      JsonNode body = entry.getValue();
      if (!body.isObject()) {
        throw new ConfigException(key + ": must be a mapping with at least 'type'");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      String type = null;
      for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
        var field = fields.next();
        if (field.getKey().equals("delivery")) {
          delivery.put(name, delivery(field.getValue(), key + ".delivery", defaults));
          continue;
        }
        String value = scalar(field.getValue(), key + "." + field.getKey());
        if (field.getKey().equals("type")) {
          type = value;
        } else if (value != null) {
          settings.put(field.getKey(), value);
        }
      }
      if (type == null || type.isBlank()) {
        throw new ConfigException(key + ".type: is required (for example 'file')");
      }
      result.add(new Destination(name, type, settings));
      delivery.putIfAbsent(name, defaults);
    }
    return result;
  }

  private Map<FeedId, FeedProperties> feeds(JsonNode feeds) {
    if (feeds.isMissingNode() || feeds.isNull()) {
      return Map.of();
    }
    if (!feeds.isObject()) {
      throw new ConfigException("feeds: must map feed ids to their properties");
    }
    Map<FeedId, FeedProperties> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = feeds.fields(); it.hasNext(); ) {
      var entry = it.next();
      String key = "feeds." + entry.getKey();
      JsonNode body = entry.getValue();
      for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("properties")) {
          throw new ConfigException(key + "." + name + ": unknown key (known: properties)");
        }
      }
      JsonNode properties = body.path("properties");
      if (!properties.isObject()) {
        throw new ConfigException(key + ".properties: must map property names to values");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> props = properties.fields(); props.hasNext(); ) {
        var property = props.next();
        String value = scalar(property.getValue(), key + ".properties." + property.getKey());
        if (value != null) {
          values.put(property.getKey(), value);
        }
      }
      result.put(new FeedId(entry.getKey()), new FeedProperties(values));
    }
    return result;
  }

  private Map<String, Object> metadata() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("runtime", "java");
    metadata.put("runtime_version", System.getProperty("java.version"));
    putIfSet(metadata, "group_id", "PLUGIN_GROUP_ID");
    putIfSet(metadata, "artifact_id", "PLUGIN_ARTIFACT_ID");
    putIfSet(metadata, "plugin_type", "PLUGIN_TYPE");
    putIfSet(metadata, "plugin_version", "PLUGIN_VERSION");
    putIfSet(metadata, "plugin_build", "PLUGIN_BUILD");
    String version = ConfigLoader.class.getPackage().getImplementationVersion();
    metadata.put(
        "dependencies", Map.of("audience-relay", version == null ? "development" : version));
    return metadata;
  }

  private void putIfSet(Map<String, Object> metadata, String field, String variable) {
    String value = blankToNull(env.get(variable));
    if (value != null) {
      metadata.put(field, value);
    }
  }

  /** A scalar as text with {@code ${VAR}} references replaced; null for YAML null. */
  private String scalar(JsonNode node, String key) {
    if (node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new ConfigException(key + ": must be a single value, not a list or mapping");
    }
    return expand(node.asText(), key);
  }

  private String expand(String value, String key) {
    Matcher matcher = ENV_REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String replacement = env.get(variable);
      if (replacement == null) {
        throw new ConfigException(
            key + ": refers to ${" + variable + "}, which is not set in the environment");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private Optional<String> text(JsonNode node, String key) {
    return node.isMissingNode() || node.isNull()
        ? Optional.empty()
        : Optional.of(scalar(node, key));
  }

  private Optional<Long> number(JsonNode node, String key, long min, long max) {
    Optional<String> text = text(node, key);
    return text.map(value -> number(value, key, min, max));
  }

  private static long number(String value, String key, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": must be a whole number, got '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(
          key + ": must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}

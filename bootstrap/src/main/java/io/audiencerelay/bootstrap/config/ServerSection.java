package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.adapters.http.in.HttpSettings;
import io.audiencerelay.adapters.http.in.NetworkAllowList;
import io.audiencerelay.adapters.http.in.admin.AdminSettings;
import io.audiencerelay.bootstrap.config.RelayConfig.GatewaySettings;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The listener ({@code server}) and what the SDK's environment variables say: the port, the plugin
 * gateway and its credentials, the metadata echoed by {@code /v1/metadata}.
 */
final class ServerSection {
  private static final Set<String> SERVER_KEYS =
      Set.of(
          "host",
          "port",
          "max_payload_bytes",
          "max_inflight_body_bytes",
          "shutdown_grace_seconds",
          "allowed_networks");
  private static final Set<String> ADMIN_KEYS =
      Set.of("enabled", "host", "port", "token", "user", "password", "metrics_on_protocol_port");

  private final ConfigValues values;

  ServerSection(ConfigValues values) {
    this.values = values;
  }

  HttpSettings http(JsonNode server) {
    if (!server.isMissingNode() && !server.isObject()) {
      throw new ConfigException("server: must be a mapping");
    }
    for (Iterator<String> it = server.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!SERVER_KEYS.contains(key)) {
        throw new ConfigException(
            "server."
                + key
                + ": unknown key (known: allowed_networks, host, max_inflight_body_bytes,"
                + " max_payload_bytes, port, shutdown_grace_seconds)");
      }
    }
    String host = values.text(server.path("host"), "server.host").orElse("0.0.0.0");
    String pluginPort = values.rawEnv("PLUGIN_PORT");
    int port =
        pluginPort != null
            ? (int) ConfigValues.number(pluginPort, "PLUGIN_PORT", 0, 65535)
            : values.number(server.path("port"), "server.port", 0, 65535).orElse(8080L).intValue();
    long maxPayload =
        values
            .number(
                server.path("max_payload_bytes"), "server.max_payload_bytes", 1024, Long.MAX_VALUE)
            .orElse(HttpSettings.DEFAULT_MAX_PAYLOAD_BYTES);
    long grace =
        values
            .number(server.path("shutdown_grace_seconds"), "server.shutdown_grace_seconds", 0, 3600)
            .orElse(10L);
    long inflight =
        values
            .number(
                server.path("max_inflight_body_bytes"),
                "server.max_inflight_body_bytes",
                maxPayload,
                Long.MAX_VALUE)
            .orElse(HttpSettings.defaultInflightBodyBytes(maxPayload));
    return new HttpSettings(host, port, maxPayload, Duration.ofSeconds(grace), inflight);
  }

  /**
   * {@code server.allowed_networks}: CIDR blocks the protocol port answers; absent, every network.
   */
  NetworkAllowList allowedNetworks(JsonNode server) {
    JsonNode list = server.path("allowed_networks");
    if (list.isMissingNode() || list.isNull()) {
      return NetworkAllowList.EVERYONE;
    }
    if (!list.isArray() || list.isEmpty()) {
      throw new ConfigException(
          "server.allowed_networks: must be a list of CIDR blocks, for example [10.0.0.0/8]");
    }
    java.util.List<NetworkAllowList.Block> blocks = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String key = "server.allowed_networks[" + i + "]";
      String text = values.scalar(list.get(i), key);
      try {
        blocks.add(NetworkAllowList.Block.parse(text == null ? "" : text));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
    }
    return new NetworkAllowList(blocks);
  }

  /**
   * The admin listener ({@code admin}): on 127.0.0.1:9090 unless told otherwise; {@code ADMIN_PORT}
   * overrides its port as {@code PLUGIN_PORT} does the protocol's.
   */
  Optional<AdminSettings> admin(JsonNode admin) {
    if (!admin.isMissingNode() && !admin.isObject()) {
      throw new ConfigException("admin: must be a mapping");
    }
    for (Iterator<String> it = admin.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!ADMIN_KEYS.contains(key)) {
        throw new ConfigException(
            "admin."
                + key
                + ": unknown key (known: "
                + String.join(", ", new java.util.TreeSet<>(ADMIN_KEYS))
                + ")");
      }
    }
    if (!values.bool(admin.path("enabled"), "admin.enabled").orElse(true)) {
      return Optional.empty();
    }
    String host = values.text(admin.path("host"), "admin.host").orElse(AdminSettings.DEFAULT_HOST);
    String adminPort = values.rawEnv("ADMIN_PORT");
    int port =
        adminPort != null
            ? (int) ConfigValues.number(adminPort, "ADMIN_PORT", 0, 65535)
            : values
                .number(admin.path("port"), "admin.port", 0, 65535)
                .orElse((long) AdminSettings.DEFAULT_PORT)
                .intValue();
    String token = values.text(admin.path("token"), "admin.token").orElse(null);
    String user = values.text(admin.path("user"), "admin.user").orElse(null);
    String password = values.text(admin.path("password"), "admin.password").orElse(null);
    if ((user == null) != (password == null)) {
      throw new ConfigException(
          "admin."
              + (user == null ? "user" : "password")
              + ": admin.user and admin.password go together");
    }
    if (token != null && token.length() < 16) {
      throw new ConfigException("admin.token: use at least 16 characters");
    }
    return Optional.of(
        new AdminSettings(
            host,
            port,
            token,
            user,
            password,
            values
                .bool(admin.path("metrics_on_protocol_port"), "admin.metrics_on_protocol_port")
                .orElse(false)));
  }

  /**
   * The gateway is used when {@code GATEWAY_HOST} is set or the platform's worker credentials are
   * present; host and port then default as in the SDK.
   */
  Optional<GatewaySettings> gateway() {
    Optional<String> host = values.env("GATEWAY_HOST");
    Optional<String> worker = values.env("PLUGIN_WORKER_ID");
    Optional<String> token = values.env("PLUGIN_AUTHENTICATION_TOKEN");
    if (host.isEmpty() && worker.isEmpty() && token.isEmpty()) {
      return Optional.empty();
    }
    if (worker.isEmpty()) {
      throw new ConfigException(
          "PLUGIN_WORKER_ID: required to call the plugin gateway (Missing worker id)");
    }
    if (token.isEmpty()) {
      throw new ConfigException(
          "PLUGIN_AUTHENTICATION_TOKEN: required to call the plugin gateway (Missing auth token)");
    }
    String gatewayPort = values.rawEnv("GATEWAY_PORT");
    int port =
        gatewayPort != null
            ? (int) ConfigValues.number(gatewayPort, "GATEWAY_PORT", 1, 65535)
            : 8080;
    return Optional.of(
        new GatewaySettings(
            host.orElse("plugin-gateway.platform"), port, worker.get(), token.get()));
  }

  /** The body of {@code GET /v1/metadata}, from the SDK's variables and the jar's version. */
  Map<String, Object> metadata() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("runtime", "java");
    metadata.put("runtime_version", System.getProperty("java.version"));
    values.env("PLUGIN_GROUP_ID").ifPresent(v -> metadata.put("group_id", v));
    values.env("PLUGIN_ARTIFACT_ID").ifPresent(v -> metadata.put("artifact_id", v));
    values.env("PLUGIN_TYPE").ifPresent(v -> metadata.put("plugin_type", v));
    values.env("PLUGIN_VERSION").ifPresent(v -> metadata.put("plugin_version", v));
    values.env("PLUGIN_BUILD").ifPresent(v -> metadata.put("plugin_build", v));
    String version = ConfigLoader.class.getPackage().getImplementationVersion();
    metadata.put(
        "dependencies", Map.of("audience-relay", version == null ? "development" : version));
    return metadata;
  }
}

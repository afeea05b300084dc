package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code storage} (SQLite or PostgreSQL, the token keys) and {@code queue} (its bounds). */
final class StorageSection {
  static final String DEFAULT_DATA_DIRECTORY = "relay-data";
  private static final Set<String> STORAGE_KEYS =
      Set.of("data_dir", "postgresql", "token_keys", "token_key_id");
  private static final Set<String> POSTGRESQL_KEYS = Set.of("url", "user", "password", "pool_size");
  private static final Set<String> QUEUE_KEYS =
      Set.of("max_depth_per_destination", "busy_retry_after_ms");

  private final ConfigValues values;

  StorageSection(ConfigValues values) {
    this.values = values;
  }

  StorageSettings storage(JsonNode storage, JsonNode queue) {
    ConfigValues.checkKeys(storage, "storage", STORAGE_KEYS);
    ConfigValues.checkKeys(queue, "queue", QUEUE_KEYS);
    Path dataDirectory =
        Path.of(
            values
                .text(storage.path("data_dir"), "storage.data_dir")
                .orElse(DEFAULT_DATA_DIRECTORY));
    Optional<StorageSettings.PostgresqlSettings> postgresql = Optional.empty();
    JsonNode pg = storage.path("postgresql");
    if (!pg.isMissingNode() && !pg.isNull()) {
      ConfigValues.checkKeys(pg, "storage.postgresql", POSTGRESQL_KEYS);
      String url =
          values
              .text(pg.path("url"), "storage.postgresql.url")
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
                  values.text(pg.path("user"), "storage.postgresql.user").orElse(null),
                  values.text(pg.path("password"), "storage.postgresql.password").orElse(null),
                  values
                      .number(pg.path("pool_size"), "storage.postgresql.pool_size", 1, 200)
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
          bytes =
              java.util.Base64.getDecoder().decode(values.scalar(entry.getValue(), key).strip());
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
    String activeKey =
        values.text(storage.path("token_key_id"), "storage.token_key_id").orElse(null);
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
        values
            .number(
                queue.path("max_depth_per_destination"),
                "queue.max_depth_per_destination",
                1,
                Long.MAX_VALUE)
            .orElse(1_000_000L),
        Duration.ofMillis(
            values
                .number(
                    queue.path("busy_retry_after_ms"), "queue.busy_retry_after_ms", 1, 3_600_000)
                .orElse(1000L)));
  }
}

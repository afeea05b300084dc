package io.audiencerelay.bootstrap.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the relay keeps its queue, mappings and tokens.
 *
 * @param dataDirectory the directory of the embedded SQLite database (and its generated token key)
 * @param postgresql a shared PostgreSQL database instead of SQLite, or empty
 * @param tokenKeys AES-256 keys by id for sealing partner tokens; secret, never printed
 * @param activeTokenKeyId the key new tokens are sealed with, or null to use the only key
 * @param maxDepthPerDestination queued items per destination beyond which the relay answers "retry"
 * @param busyRetryAfter the delay suggested to the platform when a queue is full
 */
public record StorageSettings(
    Path dataDirectory,
    Optional<PostgresqlSettings> postgresql,
    Map<String, byte[]> tokenKeys,
    String activeTokenKeyId,
    long maxDepthPerDestination,
    Duration busyRetryAfter) {
  public StorageSettings {
    tokenKeys = Map.copyOf(tokenKeys);
  }

  /**
   * @param password secret: never printed
   */
  public record PostgresqlSettings(String url, String user, String password, int poolSize) {
    @Override
    public String toString() {
      return "PostgreSQL " + url + " as " + user;
    }
  }

  @Override
  public String toString() {
    return postgresql.map(Object::toString).orElse("SQLite in " + dataDirectory.toAbsolutePath())
        + ", token keys "
        + tokenKeys.keySet();
  }
}

package io.audiencerelay.adapters.http.in;

import java.time.Duration;
import java.util.Objects;

/**
 * How the inbound server listens.
 *
 * @param host the address to bind, {@code 0.0.0.0} for every interface
 * @param port the port, 0 for any free one
 * @param maxPayloadBytes the largest request body accepted; larger ones get 413
 * @param shutdownGrace how long in-flight requests may finish after a stop
 */
public record HttpSettings(String host, int port, long maxPayloadBytes, Duration shutdownGrace) {
  /** The SDK's body limit since 0.40.1. */
  public static final long DEFAULT_MAX_PAYLOAD_BYTES = 12L * 1024 * 1024;

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (maxPayloadBytes < 1024) {
      throw new IllegalArgumentException(
          "max payload must be at least 1024 bytes, got " + maxPayloadBytes);
    }
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
  }
}

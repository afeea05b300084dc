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
 * @param maxInflightBodyBytes the bytes of request bodies held at once, across requests: past it a
 *     request is answered "retry" before its body is read, so concurrent large bodies cannot
 *     exhaust the heap
 */
public record HttpSettings(
    String host,
    int port,
    long maxPayloadBytes,
    Duration shutdownGrace,
    long maxInflightBodyBytes) {
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
    if (maxInflightBodyBytes < maxPayloadBytes) {
      throw new IllegalArgumentException(
          "the bytes of bodies in flight ("
              + maxInflightBodyBytes
              + ") must allow one body of the largest size ("
              + maxPayloadBytes
              + ")");
    }
  }

  /** With room for bodies in flight of {@link #defaultInflightBodyBytes}. */
  public HttpSettings(String host, int port, long maxPayloadBytes, Duration shutdownGrace) {
    this(host, port, maxPayloadBytes, shutdownGrace, defaultInflightBodyBytes(maxPayloadBytes));
  }

  /** A quarter of the heap, at most 256 MiB, and at least one body of the largest size. */
  public static long defaultInflightBodyBytes(long maxPayloadBytes) {
    long quarterOfHeap = Runtime.getRuntime().maxMemory() / 4;
    return Math.max(maxPayloadBytes, Math.min(quarterOfHeap, 256L << 20));
  }
}

package io.audiencerelay.application.port.in;

/** Answer to the connection check of an external segment. */
public sealed interface SegmentConnectionResult
    permits SegmentConnectionResult.Connected, SegmentConnectionResult.NotReadyYet, Failed {
  record Connected(String message) implements SegmentConnectionResult {}

  /** The partner audience exists but cannot take users yet; the platform will ask again. */
  record NotReadyYet(String message) implements SegmentConnectionResult {}
}

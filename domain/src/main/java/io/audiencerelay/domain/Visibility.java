package io.audiencerelay.domain;

/**
 * Whether the platform may show a message to its end user ({@code PUBLIC}) or must hide it ({@code
 * PRIVATE}).
 */
public enum Visibility {
  PUBLIC,
  PRIVATE
}

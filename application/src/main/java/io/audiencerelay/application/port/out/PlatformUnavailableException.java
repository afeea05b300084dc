package io.audiencerelay.application.port.out;

/**
 * The platform could not answer (gateway down, feed unknown to it, malformed answer). The message
 * is safe to return to the platform: it never holds credentials.
 */
public class PlatformUnavailableException extends RuntimeException {
  public PlatformUnavailableException(String message) {
    super(message);
  }

  public PlatformUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.audiencerelay.application.port.in;

/** Answer to the partner's OAuth callback. */
public sealed interface AuthenticationResult
    permits AuthenticationResult.Authenticated, Failed, NotImplemented, Unroutable {
  /**
   * @param refreshToken the grant to keep on the platform for the feed destination, or null; it is
   *     stored, never returned to the platform
   */
  record Authenticated(String message, String refreshToken) implements AuthenticationResult {
    @Override
    public String toString() {
      return "Authenticated[message=" + message + ", refreshToken=<redacted>]";
    }
  }
}

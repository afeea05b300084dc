package io.audiencerelay.application.port.in;

import java.util.Map;

/** Whether a platform user is authenticated to the destination's partner. */
public sealed interface AuthenticationStatusResult
    permits AuthenticationStatusResult.Authenticated,
        AuthenticationStatusResult.NotAuthenticated,
        Failed,
        NotImplemented,
        Unroutable {
  record Authenticated(Map<String, Object> data) implements AuthenticationStatusResult {}

  /**
   * @param loginUrl where the user logs in, or null when the partner has none
   */
  record NotAuthenticated(String loginUrl, String message) implements AuthenticationStatusResult {}
}

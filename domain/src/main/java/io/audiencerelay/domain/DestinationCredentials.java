package io.audiencerelay.domain;

import java.util.Map;

/**
 * Credentials the platform keeps for a feed destination.
 *
 * @param scheme {@code OAUTH2}, {@code API_TOKEN} or {@code LOGIN_PASSWORD}
 * @param values the scheme's fields, for example {@code refresh_token}; secret, never printed
 */
public record DestinationCredentials(String scheme, Map<String, String> values) {
  public DestinationCredentials {
    scheme = Require.nonBlank(scheme, "credentials scheme");
    values = Map.copyOf(Require.present(values, "credentials"));
  }

  public static DestinationCredentials oauth2RefreshToken(String refreshToken) {
    return new DestinationCredentials(
        "OAUTH2", Map.of("refresh_token", Require.nonBlank(refreshToken, "refresh_token")));
  }

  @Override
  public String toString() {
    return "DestinationCredentials[scheme=" + scheme + ", values=<redacted>]";
  }
}

package io.audiencerelay.domain;

import java.time.Instant;

/**
 * A partner grant as the relay keeps it. Secret: never printed.
 *
 * @param accessToken the short-lived token calls carry, or null when only a refresh token is held
 * @param refreshToken the long-lived token that buys new access tokens, or null
 * @param accessExpiresAt when the access token ends, or null when unknown
 * @param refreshExpiresAt when the refresh token ends for good (for example 365 days after
 *     consent), or null
 */
public record PartnerTokens(
    String accessToken, String refreshToken, Instant accessExpiresAt, Instant refreshExpiresAt) {
  public PartnerTokens {
    accessToken = Require.optional(accessToken);
    refreshToken = Require.optional(refreshToken);
    if (accessToken == null && refreshToken == null) {
      throw new IllegalArgumentException("a grant needs an access token or a refresh token");
    }
  }

  @Override
  public String toString() {
    return "PartnerTokens[access=<redacted>, refresh=<redacted>, accessExpiresAt="
        + accessExpiresAt
        + ", refreshExpiresAt="
        + refreshExpiresAt
        + "]";
  }
}

package io.audiencerelay.domain;

import java.time.Instant;

/** Where a platform user stands with a partner account. */
public sealed interface AuthenticationState {

  /**
   * The relay holds a usable grant.
   *
   * @param expiresAt when the grant ends without a new consent, or null when the partner sets no
   *     limit
   */
  record Authenticated(Instant expiresAt) implements AuthenticationState {}

  /** No grant: the user has to log in to the partner. */
  record NotAuthenticated() implements AuthenticationState {}

  /**
   * A grant existed but the partner no longer honours it (revoked, expired): the user must log in
   * again.
   */
  record NeedsReauthentication(String reason) implements AuthenticationState {
    public NeedsReauthentication {
      reason = Require.nonBlank(reason, "reason");
    }
  }
}

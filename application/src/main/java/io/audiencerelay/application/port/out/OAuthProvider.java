package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.PartnerTokens;

/**
 * The OAuth side of a partner, for partners reached with a user's grant. The relay owns the rest of
 * the flow: it seals the {@code state}, checks it on the way back, stores the grant encrypted,
 * refreshes it one at a time and notices when the partner revokes it.
 */
public interface OAuthProvider {

  /** The partner's consent page for this destination, carrying {@code state} unchanged. */
  String authorizationUrl(Destination destination, String state);

  /** Trades the callback's authorization code for a grant. */
  GrantOutcome exchangeCode(Destination destination, String code);

  /** Buys a new access token with the grant's refresh token. */
  GrantOutcome refresh(Destination destination, PartnerTokens grant);
}

package io.audiencerelay.bootstrap.wiring;

import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.domain.PartnerTokens;

/**
 * Stands in when no token key is configured for a shared database: reads find nothing, writes say
 * what to set.
 */
final class UnconfiguredTokenStore implements TokenStore {
  static final String WHY =
      "storage.token_keys is required to keep partner tokens in a shared PostgreSQL database";

  @Override
  public void save(TokenKey key, PartnerTokens tokens) {
    throw new IllegalStateException(WHY);
  }

  @Override
  public StoredGrant read(TokenKey key) {
    return new StoredGrant.Absent();
  }

  @Override
  public void delete(TokenKey key) {}

  @Override
  public java.util.List<TokenKey> keys() {
    return java.util.List.of();
  }
}

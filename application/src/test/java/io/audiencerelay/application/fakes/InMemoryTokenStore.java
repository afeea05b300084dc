package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.domain.PartnerTokens;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Grants in a map, for tests of the services that keep them. */
public final class InMemoryTokenStore implements TokenStore {
  public final Map<TokenKey, PartnerTokens> grants = new ConcurrentHashMap<>();

  @Override
  public void save(TokenKey key, PartnerTokens tokens) {
    grants.put(key, tokens);
  }

  @Override
  public Optional<PartnerTokens> find(TokenKey key) {
    return Optional.ofNullable(grants.get(key));
  }

  @Override
  public void delete(TokenKey key) {
    grants.remove(key);
  }
}

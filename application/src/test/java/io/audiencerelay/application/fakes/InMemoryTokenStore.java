package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.domain.PartnerTokens;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Grants in a map, for tests of the services that keep them. */
public final class InMemoryTokenStore implements TokenStore {
  public final Map<TokenKey, PartnerTokens> grants = new ConcurrentHashMap<>();

  @Override
  public void save(TokenKey key, PartnerTokens tokens) {
    unreadable.remove(key);
    grants.put(key, tokens);
  }

  /** Grants stored in a form that no longer reads, with why. */
  public final Map<TokenKey, String> unreadable = new ConcurrentHashMap<>();

  @Override
  public StoredGrant read(TokenKey key) {
    String why = unreadable.get(key);
    if (why != null) {
      return new StoredGrant.Unreadable(why);
    }
    PartnerTokens tokens = grants.get(key);
    return tokens == null ? new StoredGrant.Absent() : new StoredGrant.Present(tokens);
  }

  @Override
  public java.util.List<TokenKey> keys() {
    java.util.Set<TokenKey> keys = new java.util.LinkedHashSet<>(grants.keySet());
    keys.addAll(unreadable.keySet());
    return java.util.List.copyOf(keys);
  }

  @Override
  public void delete(TokenKey key) {
    unreadable.remove(key);
    grants.remove(key);
  }
}

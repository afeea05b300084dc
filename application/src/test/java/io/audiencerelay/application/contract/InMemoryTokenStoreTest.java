package io.audiencerelay.application.contract;

import io.audiencerelay.application.fakes.InMemoryTokenStore;
import io.audiencerelay.application.port.out.TokenStore;

/** The fake obeys the same contract as the real store, so service tests can trust it. */
class InMemoryTokenStoreTest extends TokenStoreContract {
  private final InMemoryTokenStore store = new InMemoryTokenStore();

  @Override
  protected TokenStore store() {
    return store;
  }
}

package io.audiencerelay.application.contract;

import io.audiencerelay.application.fakes.InMemoryPauseStore;
import io.audiencerelay.application.port.out.PauseStore;

class InMemoryPauseStoreTest extends PauseStoreContract {
  @Override
  protected PauseStore store() {
    return new InMemoryPauseStore();
  }
}

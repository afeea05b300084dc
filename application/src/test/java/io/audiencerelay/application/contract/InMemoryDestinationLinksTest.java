package io.audiencerelay.application.contract;

import io.audiencerelay.application.fakes.InMemoryDestinationLinks;
import io.audiencerelay.application.port.out.DestinationLinkStore;

class InMemoryDestinationLinksTest extends DestinationLinkStoreContract {
  @Override
  protected DestinationLinkStore newStore() {
    return new InMemoryDestinationLinks();
  }
}

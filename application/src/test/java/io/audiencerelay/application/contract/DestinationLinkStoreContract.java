package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.DestinationLinkStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedDestinationId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DestinationLinkStore} must do. Extend it once per implementation. */
public abstract class DestinationLinkStoreContract {
  private static final FeedDestinationId FD_318 = new FeedDestinationId("318");
  private static final FeedDestinationId FD_319 = new FeedDestinationId("319");
  private static final DestinationName ADS = new DestinationName("ads");
  private static final DestinationName B2B = new DestinationName("b2b");

  protected DestinationLinkStore store;

  protected abstract DestinationLinkStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void findsNothingBeforeALink() {
    assertThat(store.find(FD_318)).isEmpty();
  }

  @Test
  void findsTheLinkOfThatFeedDestinationOnly() {
    store.link(FD_318, ADS);

    assertThat(store.find(FD_318)).contains(ADS);
    assertThat(store.find(FD_319)).isEmpty();
  }

  @Test
  void aLaterLinkReplacesTheEarlierOne() {
    store.link(FD_318, ADS);
    store.link(FD_318, B2B);
    store.link(FD_318, B2B);

    assertThat(store.find(FD_318)).contains(B2B);
  }
}

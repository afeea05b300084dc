package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.PauseStore;
import io.audiencerelay.application.port.out.PauseStore.Pause;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import org.junit.jupiter.api.Test;

/** What every store of paused destinations must do. */
public abstract class PauseStoreContract {
  static final DestinationName ADS = new DestinationName("ads");

  /** A fresh store with nothing paused. */
  protected abstract PauseStore store();

  @Test
  void aPauseIsKeptUntilResumedAndTheFirstPauseWins() {
    var store = store();
    var first = new Pause(ADS, DomainFixtures.T0, "alice");

    store.pause(first);
    store.pause(new Pause(ADS, DomainFixtures.T0.plusSeconds(5), "bob"));

    assertThat(store.paused()).containsExactly(java.util.Map.entry(ADS, first));
    assertThat(store.resume(ADS)).isTrue();
    assertThat(store.resume(ADS)).isFalse();
    assertThat(store.paused()).isEmpty();
  }
}

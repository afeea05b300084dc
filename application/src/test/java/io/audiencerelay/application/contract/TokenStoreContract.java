package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.PartnerTokens;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TokenStore} must do. An implementation's test provides a fresh, empty store.
 */
public abstract class TokenStoreContract {
  protected static final TokenKey KEY = new TokenKey(new DestinationName("meta"), "user-2291");
  protected static final PartnerTokens TOKENS =
      new PartnerTokens(
          "EAAB-access-token",
          "refresh-token-1",
          Instant.parse("2026-11-23T11:00:00Z"),
          Instant.parse("2027-11-23T10:00:00Z"));

  protected abstract TokenStore store();

  @Test
  void findsWhatWasSaved() {
    TokenStore store = store();
    store.save(KEY, TOKENS);

    assertThat(store.find(KEY)).contains(TOKENS);
    assertThat(store.find(new TokenKey(new DestinationName("meta"), "user-9"))).isEmpty();
    assertThat(store.find(new TokenKey(new DestinationName("linkedin"), "user-2291"))).isEmpty();
  }

  @Test
  void aLaterSaveReplacesTheGrant() {
    TokenStore store = store();
    store.save(KEY, TOKENS);
    PartnerTokens refreshed = new PartnerTokens("new-access", null, null, null);

    store.save(KEY, refreshed);

    assertThat(store.find(KEY)).contains(refreshed);
  }

  @Test
  void keysListWhoseGrantsAreStored() {
    TokenStore store = store();
    var other = new TokenKey(new io.audiencerelay.domain.DestinationName("b2b"), "318");
    store.save(KEY, TOKENS);
    store.save(other, TOKENS);

    assertThat(store.keys()).containsExactlyInAnyOrder(KEY, other);
    store.delete(other);
    assertThat(store.keys()).containsExactly(KEY);
  }

  @Test
  void deleteForgetsTheGrantAndToleratesNone() {
    TokenStore store = store();
    store.save(KEY, TOKENS);

    store.delete(KEY);
    store.delete(KEY);

    assertThat(store.find(KEY)).isEmpty();
  }
}

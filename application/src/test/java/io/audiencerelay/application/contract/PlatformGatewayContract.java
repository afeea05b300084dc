package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PlatformGateway} must do. An implementation's test extends it and provides a
 * gateway that knows feed {@code 6921} with properties {@code destination=demo} and {@code
 * ad_account_id=act_991}, and no credentials.
 */
public abstract class PlatformGatewayContract {
  protected static final FeedId FEED = new FeedId("6921");
  protected static final Map<String, String> PROPERTIES =
      Map.of("destination", "demo", "ad_account_id", "act_991");

  /** A gateway knowing {@link #FEED} with {@link #PROPERTIES}. */
  protected abstract PlatformGateway gateway();

  @Test
  void readsAFeedsPropertiesByTechnicalName() {
    var feed = gateway().feed(FEED);

    assertThat(feed.id()).isEqualTo(FEED);
    assertThat(feed.properties().values()).containsAllEntriesOf(PROPERTIES);
  }

  @Test
  void reloadingReadsTheSameFeed() {
    assertThat(gateway().reloadFeed(FEED).properties().get("destination")).contains("demo");
  }

  @Test
  void aDestinationWithoutCredentialsHasNone() {
    assertThat(gateway().credentials(new FeedDestinationId("999"))).isEmpty();
    assertThat(gateway().reloadCredentials(new FeedDestinationId("999"))).isEmpty();
  }

  @Test
  void savedCredentialsAreReadBack() {
    PlatformGateway gateway = gateway();
    var destination = new FeedDestinationId("318");

    gateway.saveCredentials(
        destination, DestinationCredentials.oauth2RefreshToken("1//0g-example"));

    assertThat(gateway.reloadCredentials(destination))
        .contains(DestinationCredentials.oauth2RefreshToken("1//0g-example"));
    assertThat(gateway.credentials(destination))
        .contains(DestinationCredentials.oauth2RefreshToken("1//0g-example"));
  }
}

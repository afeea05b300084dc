package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformGateway.DataFileSettings;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperty;
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

  /** What the data file of {@link #settingsFile()} holds. */
  protected static final String SETTINGS_FILE_JSON =
      """
      {"ad_account_id": "act_42", "batch_size": 500, "hash": true,
       "audience_names": {"84213": "Cart abandoners"}}
      """;

  /** What a gateway makes of {@link #SETTINGS_FILE_JSON}. */
  protected static final DataFileSettings.Read SETTINGS_FILE_READ =
      new DataFileSettings.Read(
          Map.of(
              "ad_account_id", "act_42",
              "batch_size", "500",
              "hash", "true",
              "audience_names.84213", "Cart abandoners"));

  /** A gateway knowing {@link #FEED} with {@link #PROPERTIES}. */
  protected abstract PlatformGateway gateway();

  /** A data file the gateway serves with {@link #SETTINGS_FILE_JSON}. */
  protected abstract FeedProperty.DataFile settingsFile();

  /** A data file the gateway does not have. */
  protected abstract FeedProperty.DataFile missingFile();

  @Test
  void readsADataFileAsSettingsWithNestedObjectsFlattened() {
    assertThat(gateway().dataFileSettings(settingsFile())).isEqualTo(SETTINGS_FILE_READ);
  }

  @Test
  void aMissingDataFileIsUnusableAndSaysWhich() {
    assertThat(gateway().dataFileSettings(missingFile()))
        .isInstanceOfSatisfying(
            DataFileSettings.Unusable.class,
            unusable -> assertThat(unusable.reason()).contains(missingFile().uri()));
  }

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

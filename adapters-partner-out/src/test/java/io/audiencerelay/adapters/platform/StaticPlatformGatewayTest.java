package io.audiencerelay.adapters.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.contract.PlatformGatewayContract;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticPlatformGatewayTest extends PlatformGatewayContract {
  final StaticPlatformGateway gateway =
      new StaticPlatformGateway(Map.of(FEED, new FeedProperties(PROPERTIES)));

  @TempDir static Path files;

  @Override
  protected PlatformGateway gateway() {
    return gateway;
  }

  @Override
  protected FeedProperty.DataFile settingsFile() {
    Path file = files.resolve("settings.json");
    try {
      Files.writeString(file, SETTINGS_FILE_JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FeedProperty.DataFile(file.toString(), null);
  }

  @Override
  protected FeedProperty.DataFile missingFile() {
    return new FeedProperty.DataFile(files.resolve("none.json").toUri().toString(), null);
  }

  @Test
  void aLocalDataFileIsReadAfreshSoAnEditTakesEffect() throws IOException {
    FeedProperty.DataFile file = settingsFile();
    gateway.dataFileSettings(file);
    Files.writeString(Path.of(file.uri()), "{\"ad_account_id\": \"act_7\"}");

    assertThat(gateway.dataFileSettings(file))
        .isEqualTo(new PlatformGateway.DataFileSettings.Read(Map.of("ad_account_id", "act_7")));
  }

  @Test
  void aFeedTheConfigurationDoesNotListHasNoProperties() {
    assertThat(gateway.feed(new FeedId("777")).properties()).isEqualTo(FeedProperties.none());
  }
}

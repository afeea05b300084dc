package io.audiencerelay.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.bootstrap.TestConfigs;
import io.audiencerelay.bootstrap.config.RelayConfig;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WiringTest {
  @TempDir Path dir;

  RelayConfig config(List<Destination> destinations) {
    return TestConfigs.config(dir, Optional.empty(), destinations, Map.of());
  }

  @Test
  void everyPartnerIsRegisteredUnderItsOwnType() {
    var relay =
        RelayComponent.create(
            config(List.of(new Destination(new DestinationName("d"), "recording", Map.of()))),
            Clock.systemUTC());

    assertThat(relay.partners())
        .containsKeys("file", "launchdarkly", "linkedin", "meta", "recording", "webhook");
    relay.partners().forEach((key, connector) -> assertThat(connector.type()).isEqualTo(key));
  }

  @Test
  void aDestinationOfAnUnknownTypeStopsTheStart() {
    var relay =
        RelayComponent.create(
            config(List.of(new Destination(new DestinationName("ads"), "tiktok", Map.of()))),
            Clock.systemUTC());

    assertThatThrownBy(relay::destinations)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "destinations.ads.type: unknown destination type 'tiktok' (known: file, launchdarkly, linkedin, meta, recording, webhook)");
  }

  @Test
  void aDestinationWithBadSettingsStopsTheStart() {
    var relay =
        RelayComponent.create(
            config(List.of(new Destination(new DestinationName("files"), "file", Map.of()))),
            Clock.systemUTC());

    assertThatThrownBy(relay::destinations)
        .hasMessage(
            "destinations.files.directory is required (where the .ndjson files are written)");
  }
}

package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeysTest {
  @TempDir Path dir;

  StorageSettings storage(Map<String, byte[]> keys, String activeId) {
    return new StorageSettings(dir, Optional.empty(), keys, activeId, 1_000, Duration.ofSeconds(1));
  }

  @Test
  void relaysSharingTokenKeysDeriveTheSameStateKeyWhateverTheMapOrder() {
    byte[] k1 = filled(1);
    byte[] k2 = filled(2);

    byte[] first = TokenKeys.stateKey(storage(Map.of("k1", k1, "k2", k2), null));
    byte[] second = TokenKeys.stateKey(storage(Map.of("k2", k2, "k1", k1), null));
    byte[] active = TokenKeys.stateKey(storage(Map.of("k1", k1, "k2", k2), "k2"));

    assertThat(first).hasSize(32).isEqualTo(second).isNotEqualTo(k1);
    assertThat(active).isNotEqualTo(first);
  }

  @Test
  void anEmbeddedRelayKeepsItsStateKeyAcrossRestarts() {
    byte[] before = TokenKeys.stateKey(storage(Map.of(), null));
    byte[] after = TokenKeys.stateKey(storage(Map.of(), null));

    assertThat(before).hasSize(32).isEqualTo(after);
    assertThat(dir.resolve("token.key")).exists();
  }

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }
}

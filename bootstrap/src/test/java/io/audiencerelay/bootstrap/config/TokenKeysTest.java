package io.audiencerelay.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
  void theOtherConfiguredKeysStillOpenStatesAfterARotation() {
    byte[] k1 = filled(1);
    byte[] k2 = filled(2);

    var previous = TokenKeys.previousStateKeys(storage(Map.of("k1", k1, "k2", k2), "k2"));

    assertThat(previous)
        .singleElement()
        .isEqualTo(TokenKeys.stateKey(storage(Map.of("k1", k1), "k1")));
  }

  @Test
  void anEmbeddedRelayKeepsItsStateKeyAcrossRestarts() {
    byte[] before = TokenKeys.stateKey(storage(Map.of(), null));
    byte[] after = TokenKeys.stateKey(storage(Map.of(), null));

    assertThat(before).hasSize(32).isEqualTo(after);
    assertThat(dir.resolve("token.key")).exists();
  }

  @Test
  void theGeneratedKeyIsReadableByItsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
    TokenKeys.stateKey(storage(Map.of(), null));

    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token.key"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve("token.key")).strip()).hasSize(44);
    try (var files = Files.list(dir)) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly("token.key");
    }
  }

  @Test
  void anEmptyKeyFileLeftByACrashIsReplacedSoTheRelayStarts() throws Exception {
    // What a crash left of a key written without a sync: the name, no bytes.
    Files.createFile(dir.resolve("token.key"));

    byte[] key = TokenKeys.stateKey(storage(Map.of(), null));

    assertThat(key).hasSize(32).isEqualTo(TokenKeys.stateKey(storage(Map.of(), null)));
    assertThat(Files.readString(dir.resolve("token.key")).strip()).hasSize(44);
  }

  @Test
  void atStartGrantsAreSealedAgainWithTheActiveKeyAndMissingKeysAreNamed() throws Exception {
    var database = io.audiencerelay.adapters.storage.jdbc.Database.sqlite(dir.resolve("relay.db"));
    var clock = java.time.Clock.systemUTC();
    var grant = new io.audiencerelay.domain.PartnerTokens("a", "r", null, null);
    var alice =
        new io.audiencerelay.application.port.out.TokenStore.TokenKey(
            new io.audiencerelay.domain.DestinationName("b2b"), "2291");
    var bob =
        new io.audiencerelay.application.port.out.TokenStore.TokenKey(
            new io.audiencerelay.domain.DestinationName("b2b"), "7000");
    byte[] k0 = filled(3);
    byte[] k1 = filled(1);
    byte[] k2 = filled(2);
    new io.audiencerelay.adapters.storage.tokens.JdbcTokenStore(
            database,
            new io.audiencerelay.adapters.storage.tokens.TokenCipher(Map.of("k0", k0), "k0"),
            clock)
        .save(bob, grant);
    new io.audiencerelay.adapters.storage.tokens.JdbcTokenStore(
            database,
            new io.audiencerelay.adapters.storage.tokens.TokenCipher(Map.of("k1", k1), "k1"),
            clock)
        .save(alice, grant);
    var rotated =
        new io.audiencerelay.adapters.storage.tokens.JdbcTokenStore(
            database,
            new io.audiencerelay.adapters.storage.tokens.TokenCipher(
                Map.of("k1", k1, "k2", k2), "k2"),
            clock);
    java.util.List<java.util.logging.LogRecord> logged;
    try (var logs = new io.audiencerelay.application.fakes.CapturedLogs(TokenKeys.class)) {
      TokenKeys.checkAtStart(rotated);
      logged = logs.records();
    }

    assertThat(logged)
        .extracting(java.util.logging.LogRecord::getMessage)
        .contains("sealed 1 partner grant(s) again with the active token key")
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith(
                        "partner grants sealed with token key(s) that storage.token_keys no longer"
                            + " lists: k0 (1 grant(s))"));
    assertThat(rotated.find(alice)).contains(grant);
    assertThat(rotated.find(bob)).isEmpty();
    database.close();
  }

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }
}

package io.audiencerelay.adapters.storage.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.adapters.storage.jdbc.TestDatabases;
import io.audiencerelay.application.contract.TokenStoreContract;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.domain.DestinationName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcTokenStoreTest {
  static final byte[] KEY_1 = new byte[32];
  static final byte[] KEY_2 =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  static {
    Arrays.fill(KEY_1, (byte) 7);
  }

  static TokenCipher cipher(String active) {
    return new TokenCipher(Map.of("k1", KEY_1, "k2", KEY_2), active);
  }

  @Nested
  class OnSqlite extends TokenStoreContract {
    @TempDir Path directory;
    Database database;

    @Override
    protected TokenStore store() {
      database = TestDatabases.sqlite(directory);
      return new JdbcTokenStore(database, cipher("k1"), new MutableClock(Instant.EPOCH));
    }

    @AfterEach
    void close() {
      database.close();
    }

    @Test
    void noTokenCanBeReadInTheDatabaseFiles() throws Exception {
      TokenStore store = store();
      store.save(KEY, TOKENS);
      database.close();

      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.toList()) {
          String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          assertThat(bytes).doesNotContain("EAAB-access-token").doesNotContain("refresh-token-1");
        }
      }
    }
  }

  @Nested
  class OnPostgresql extends TokenStoreContract {
    Database database;

    @Override
    protected TokenStore store() {
      database = TestDatabases.postgresql();
      return new JdbcTokenStore(database, cipher("k1"), new MutableClock(Instant.EPOCH));
    }

    @AfterEach
    void close() {
      database.close();
    }

    @Test
    void theStoredValueIsSealedAndBoundToItsRow() {
      TokenStore store = store();
      store.save(KEY, TOKENS);
      Jdbc jdbc = new Jdbc(database);

      byte[] sealed =
          jdbc.query(
              "SELECT sealed FROM partner_token",
              s -> {},
              rows -> rows.next() ? rows.getBytes(1) : null);
      assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
          .doesNotContain("EAAB-access-token");

      // The same sealed bytes moved to another user's row do not open.
      jdbc.update("UPDATE partner_token SET subject = 'user-9'", s -> {});
      assertThat(store.read(new TokenKey(new DestinationName("meta"), "user-9")))
          .isInstanceOfSatisfying(
              TokenStore.StoredGrant.Unreadable.class,
              unreadable -> assertThat(unreadable.reason()).contains("altered or moved"));
    }

    @Test
    void tokensSealedWithAnOldKeyStayReadableAfterRotation() {
      database = TestDatabases.postgresql();
      new JdbcTokenStore(database, cipher("k1"), new MutableClock(Instant.EPOCH)).save(KEY, TOKENS);

      var rotated = new JdbcTokenStore(database, cipher("k2"), new MutableClock(Instant.EPOCH));

      assertThat(rotated.find(KEY)).contains(TOKENS);
      var withoutOldKey =
          new JdbcTokenStore(
              database,
              new TokenCipher(Map.of("k2", KEY_2), "k2"),
              new MutableClock(Instant.EPOCH));
      assertThat(withoutOldKey.read(KEY))
          .isEqualTo(
              new TokenStore.StoredGrant.Unreadable(
                  "token sealed with key 'k1', which is not configured"));
      assertThat(withoutOldKey.find(KEY)).isEmpty();
      assertThat(withoutOldKey.grantsUnderMissingKeys()).containsExactly(Map.entry("k1", 1L));
    }

    @Test
    void resealingMovesEveryGrantToTheActiveKeySoTheOldKeyCanLeave() {
      database = TestDatabases.postgresql();
      var old = new JdbcTokenStore(database, cipher("k1"), new MutableClock(Instant.EPOCH));
      old.save(KEY, TOKENS);
      old.save(new TokenKey(new DestinationName("meta"), "user-9"), TOKENS);
      var rotated = new JdbcTokenStore(database, cipher("k2"), new MutableClock(Instant.EPOCH));

      assertThat(rotated.resealWithActiveKey()).isEqualTo(2);
      assertThat(rotated.resealWithActiveKey()).isZero();

      var withoutOldKey =
          new JdbcTokenStore(
              database,
              new TokenCipher(Map.of("k2", KEY_2), "k2"),
              new MutableClock(Instant.EPOCH));
      assertThat(withoutOldKey.find(KEY)).contains(TOKENS);
      assertThat(withoutOldKey.grantsUnderMissingKeys()).isEmpty();
    }
  }

  @Test
  void aesGcmMatchesTheKnownAnswer() {
    // GCM specification, test case 14: 256-bit zero key, 96-bit zero IV, one zero block, no
    // associated data.
    SecureRandom zeros =
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0);
          }
        };
    var cipher = new TokenCipher(Map.of("zero", new byte[32]), "zero", zeros);

    var sealed = cipher.seal(new String(new byte[16], StandardCharsets.UTF_8), "");

    assertThat(HexFormat.of().formatHex(sealed.bytes()))
        .isEqualTo(
            "000000000000000000000000" // nonce
                + "cea7403d4d606b6e074ec5d3baf39d18" // ciphertext
                + "d0d1c8a799996bf0265b98b5d48ab919"); // tag
    assertThat(cipher.open(sealed, "")).isEqualTo(new String(new byte[16], StandardCharsets.UTF_8));
  }

  @Test
  void keysMustBe256Bits() {
    assertThatThrownBy(() -> new TokenCipher(Map.of("short", new byte[16]), "short"))
        .hasMessage("token key 'short' must be 32 bytes (AES-256), got 16");
    assertThatThrownBy(() -> new TokenCipher(Map.of("k1", KEY_1), "k9"))
        .hasMessage("the active token key 'k9' is not among the keys");
  }
}

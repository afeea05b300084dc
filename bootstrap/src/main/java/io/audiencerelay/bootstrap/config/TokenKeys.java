package io.audiencerelay.bootstrap.config;

import io.audiencerelay.adapters.storage.tokens.TokenCipher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that seal partner tokens. Configured keys win; with none, an embedded (SQLite) relay
 * generates one key into {@code <data_dir>/token.key}, readable by its owner only, so the database
 * alone never reveals a token.
 */
public final class TokenKeys {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(TokenKeys.class.getName());
  public static final String LOCAL_KEY_ID = "local";

  private TokenKeys() {}

  /**
   * @return the cipher, or null when no key is configured and none may be generated (shared
   *     PostgreSQL)
   */
  public static TokenCipher cipher(StorageSettings storage) {
    if (!storage.tokenKeys().isEmpty()) {
      return new TokenCipher(storage.tokenKeys(), storage.activeTokenKeyId());
    }
    if (storage.postgresql().isPresent()) {
      return null;
    }
    return new TokenCipher(
        Map.of(LOCAL_KEY_ID, localKey(storage.dataDirectory().resolve("token.key"))), LOCAL_KEY_ID);
  }

  /**
   * The key that seals OAuth states, derived from the active token key so every relay sharing the
   * token keys accepts the callbacks of the others. A shared database without token keys cannot
   * keep grants anyway: its states get a key of this process only.
   */
  public static byte[] stateKey(StorageSettings storage) {
    byte[] tokenKey;
    if (!storage.tokenKeys().isEmpty()) {
      tokenKey =
          storage.activeTokenKeyId() != null
              ? storage.tokenKeys().get(storage.activeTokenKeyId())
              : storage.tokenKeys().get(new TreeSet<>(storage.tokenKeys().keySet()).first());
    } else if (storage.postgresql().isPresent()) {
      tokenKey = new byte[32];
      new SecureRandom().nextBytes(tokenKey);
    } else {
      tokenKey = localKey(storage.dataDirectory().resolve("token.key"));
    }
    return derivedStateKey(tokenKey);
  }

  /**
   * The state keys of the other configured token keys: after a rotation (a new active key, the old
   * one still listed), a login started under the old key still completes.
   */
  public static java.util.List<byte[]> previousStateKeys(StorageSettings storage) {
    java.util.List<byte[]> previous = new java.util.ArrayList<>();
    storage
        .tokenKeys()
        .forEach(
            (id, key) -> {
              if (!id.equals(storage.activeTokenKeyId())) {
                previous.add(derivedStateKey(key));
              }
            });
    return previous;
  }

  private static byte[] derivedStateKey(byte[] tokenKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(tokenKey, "HmacSHA256"));
      return mac.doFinal("audience-relay oauth state key".getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static byte[] localKey(Path file) {
    try {
      if (Files.exists(file)) {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!text.isEmpty()) {
          byte[] key = Base64.getDecoder().decode(text);
          if (key.length != 32) {
            throw new ConfigException(
                file + ": must hold a base64 32-byte key, holds " + key.length + " bytes");
          }
          return key;
        }
        // Written by a version that did not force the key to disk, then a crash: the key is lost
        // either way. A new one lets the relay start; grants sealed with the lost one ask for a
        // new login (they read as "log in again").
        LOG.warning(
            () ->
                file
                    + " is empty (a crash before the key reached the disk): a new key is"
                    + " generated; partner grants sealed with the lost key need a new login");
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      writeDurably(file, Base64.getEncoder().encodeToString(key) + "\n");
      return key;
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read or create the token key: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": must hold a base64 32-byte key");
    }
  }

  /**
   * Writes the key so that a crash leaves either no file or the whole key, never an empty file: a
   * temporary file readable by its owner only from its creation, forced to disk, renamed over the
   * name, then the directory forced so that the name survives too.
   */
  private static void writeDurably(Path file, String content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Path temporary = directory.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    try {
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(temporary); // best effort on file systems without POSIX permissions
    }
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel parent = FileChannel.open(directory, StandardOpenOption.READ)) {
      parent.force(true);
    }
  }

  /**
   * Seals every partner grant with the active token key, so an older key can leave {@code
   * storage.token_keys}, and names the keys that grants still need but the configuration lacks:
   * those grants wait for a new login (deliveries are held, not failed) until the key is back.
   */
  public static void checkAtStart(io.audiencerelay.application.port.out.TokenStore store) {
    if (!(store instanceof io.audiencerelay.adapters.storage.tokens.JdbcTokenStore grants)) {
      return;
    }
    int resealed = grants.resealWithActiveKey();
    if (resealed > 0) {
      LOG.info(() -> "sealed " + resealed + " partner grant(s) again with the active token key");
    }
    var missing = grants.grantsUnderMissingKeys();
    if (!missing.isEmpty()) {
      LOG.severe(
          () ->
              "partner grants sealed with token key(s) that storage.token_keys no longer lists: "
                  + missing.entrySet().stream()
                      .map(e -> e.getKey() + " (" + e.getValue() + " grant(s))")
                      .collect(Collectors.joining(", "))
                  + "; they cannot be read: put the key(s) back under storage.token_keys, or have"
                  + " their users log in again (their deliveries wait meanwhile)");
    }
  }
}

package io.audiencerelay.adapters.storage.tokens;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets with AES-256-GCM. Each sealed value records the id of its key, so keys can rotate:
 * new values use the active key, old ones stay readable while their key is configured. The
 * associated data binds a sealed value to its row, so a value copied to another row does not open.
 */
public final class TokenCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** A sealed value and the key it was sealed with. */
  public record Sealed(String keyId, byte[] bytes) {}

  private final Map<String, SecretKeySpec> keys;
  private final String activeKeyId;
  private final SecureRandom random;

  /**
   * @param keys 32-byte keys by id
   * @param activeKeyId the key new values are sealed with
   * @throws IllegalArgumentException when a key is not 32 bytes or the active key is missing
   */
  public TokenCipher(Map<String, byte[]> keys, String activeKeyId) {
    this(keys, activeKeyId, new SecureRandom());
  }

  /** With a chosen nonce source, for known-answer tests. */
  TokenCipher(Map<String, byte[]> keys, String activeKeyId, SecureRandom random) {
    this.random = random;
    if (!keys.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "the active token key '" + activeKeyId + "' is not among the keys");
    }
    this.keys = new java.util.HashMap<>();
    keys.forEach(
        (id, key) -> {
          if (key.length != 32) {
            throw new IllegalArgumentException(
                "token key '" + id + "' must be 32 bytes (AES-256), got " + key.length);
          }
          this.keys.put(id, new SecretKeySpec(key, "AES"));
        });
    this.activeKeyId = activeKeyId;
  }

  /** The id of the key new values are sealed with. */
  public String activeKeyId() {
    return activeKeyId;
  }

  /** Whether values sealed with this key id open. */
  public boolean hasKey(String keyId) {
    return keys.containsKey(keyId);
  }

  public Sealed seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return new Sealed(
          activeKeyId,
          ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * @throws IllegalStateException when the key is unknown or the value was altered or moved
   */
  public String open(Sealed sealed, String associatedData) {
    SecretKeySpec key = keys.get(sealed.keyId());
    if (key == null) {
      throw new IllegalStateException(
          "token sealed with key '" + sealed.keyId() + "', which is not configured");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.bytes(), 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] plain =
          cipher.doFinal(sealed.bytes(), NONCE_BYTES, sealed.bytes().length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "token does not open with key '" + sealed.keyId() + "' (altered or moved)");
    }
  }
}

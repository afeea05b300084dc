package io.audiencerelay.application.service.auth;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.Require;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the OAuth {@code state} the partner hands back on its callback. The state is encrypted and
 * authenticated (AES-256-GCM), names the destination, the feed destination and the platform user it
 * was issued for, expires, and is accepted once: a tampered, foreign, expired or replayed state is
 * refused with a reason the user can act on.
 *
 * <p>Replays are remembered by this process only, until the state would have expired anyway.
 */
public final class OAuthStates {
  private static final byte[] CONTEXT =
      "audience-relay oauth state v1".getBytes(StandardCharsets.UTF_8);
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final char SEPARATOR = '\n';

  private final SecretKeySpec key;
  // Keys whose states still open: the one before a rotation, while its states may be in flight.
  private final java.util.List<SecretKeySpec> previousKeys;
  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> used = new ConcurrentHashMap<>();

  /**
   * @param key 32 bytes, shared by every relay process that may receive the callback
   * @param lifetime how long a user has to complete the login
   */
  public OAuthStates(byte[] key, Clock clock, Duration lifetime) {
    this(key, java.util.List.of(), clock, lifetime);
  }

  /**
   * @param key seals new states
   * @param previousKeys still open the states they sealed (until those expire): the keys of the
   *     token keys still configured besides the active one
   */
  public OAuthStates(
      byte[] key, java.util.List<byte[]> previousKeys, Clock clock, Duration lifetime) {
    this.key = stateKey(key);
    this.previousKeys = previousKeys.stream().map(OAuthStates::stateKey).toList();
    this.clock = Require.present(clock, "clock");
    if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("the OAuth state lifetime must be positive");
    }
    this.lifetime = lifetime;
  }

  private static SecretKeySpec stateKey(byte[] key) {
    if (key == null || key.length != 32) {
      throw new IllegalArgumentException("the OAuth state key must be 32 bytes");
    }
    return new SecretKeySpec(key.clone(), "AES");
  }

  /** Whom a state was issued for. The feed destination and the user are null when unknown. */
  public record Claims(
      DestinationName destination,
      FeedDestinationId feedDestinationId,
      PlatformUserId user,
      Instant expiresAt,
      String nonce) {
    public Claims {
      Require.present(destination, "destination");
      Require.present(expiresAt, "expiresAt");
      nonce = Require.nonBlank(nonce, "nonce");
    }
  }

  /** The result of checking a returned state. */
  public sealed interface Check {
    record Valid(Claims claims) implements Check {}

    record Refused(String reason) implements Check {}
  }

  public String seal(
      DestinationName destination, FeedDestinationId feedDestinationId, PlatformUserId user) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    String plain =
        String.join(
            String.valueOf(SEPARATOR),
            destination.value(),
            feedDestinationId == null ? "" : feedDestinationId.value(),
            user == null ? "" : user.value(),
            Long.toString(clock.instant().plus(lifetime).getEpochSecond()),
            HexFormat.of().formatHex(nonce));
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(CONTEXT);
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** Checks a state and, when it is valid, spends it: the same state is refused next time. */
  public Check open(String state) {
    if (state == null || state.isBlank()) {
      return new Check.Refused("The OAuth callback carries no state");
    }
    Optional<Claims> unsealed = unseal(state);
    if (unsealed.isEmpty()) {
      return tampered();
    }
    Claims claims = unsealed.get();
    Instant now = clock.instant();
    if (!now.isBefore(claims.expiresAt())) {
      return new Check.Refused("The OAuth state has expired: start the login again");
    }
    used.values().removeIf(expiry -> !now.isBefore(expiry));
    if (used.putIfAbsent(claims.nonce(), claims.expiresAt()) != null) {
      return new Check.Refused("The OAuth state was already used: start the login again");
    }
    return new Check.Valid(claims);
  }

  /**
   * The destination a state was issued for, without checking expiry or spending it: the callback
   * carries no other clue when several destinations exist.
   */
  public Optional<DestinationName> destinationOf(String state) {
    return state == null || state.isBlank()
        ? Optional.empty()
        : unseal(state).map(Claims::destination);
  }

  private Optional<Claims> unseal(String state) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(state);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (bytes.length <= IV_BYTES) {
      return Optional.empty();
    }
    byte[] plain = open(key, bytes);
    for (int i = 0; plain == null && i < previousKeys.size(); i++) {
      plain = open(previousKeys.get(i), bytes);
    }
    if (plain == null) {
      return Optional.empty();
    }
    String[] fields =
        new String(plain, StandardCharsets.UTF_8).split(String.valueOf(SEPARATOR), -1);
    if (fields.length != 5) {
      return Optional.empty();
    }
    return Optional.of(
        new Claims(
            new DestinationName(fields[0]),
            fields[1].isEmpty() ? null : new FeedDestinationId(fields[1]),
            fields[2].isEmpty() ? null : new PlatformUserId(fields[2]),
            Instant.ofEpochSecond(Long.parseLong(fields[3])),
            fields[4]));
  }

  /** The plaintext, or null when the state was not sealed with this key (or was altered). */
  private static byte[] open(SecretKeySpec with, byte[] bytes) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
      cipher.updateAAD(CONTEXT);
      return cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  private static Check tampered() {
    return new Check.Refused(
        "The OAuth state is not one this relay issued (altered, truncated or sealed with another"
            + " key)");
  }
}

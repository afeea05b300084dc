package io.audiencerelay.adapters.http.in.mapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mapp's {@code X-HMAC}: the lower-case hex HMAC-SHA1 of the raw body with the shared secret,
 * compared in constant time and without regard to case.
 */
public final class MappSignature {
  // Keyed once; each request hashes with a copy (cheaper than looking up and keying a new one).
  private final Mac keyed;
  private final String secret;

  public MappSignature(String secret) {
    this.secret = secret;
    this.keyed = hmacSha1(secret);
  }

  /** Whether {@code received} is the body's signature. */
  public boolean matches(byte[] body, String received) {
    byte[] expected =
        HexFormat.of().formatHex(forOneRequest().doFinal(body)).getBytes(StandardCharsets.US_ASCII);
    byte[] given = received.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  /** The signature of a body, as Mapp sends it. */
  public String of(byte[] body) {
    return HexFormat.of().formatHex(forOneRequest().doFinal(body));
  }

  /** A Mac of the key, for one request: a {@link Mac} is not safe to share. */
  private Mac forOneRequest() {
    try {
      return (Mac) keyed.clone();
    } catch (CloneNotSupportedException e) {
      // A provider whose Mac cannot be cloned: key a new one.
      return hmacSha1(secret);
    }
  }

  private static Mac hmacSha1(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}

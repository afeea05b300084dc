package io.audiencerelay.domain.hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 in the encodings partners ask for, and recognition of values that are hashed already. */
public final class Hashing {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern SHA256_BASE64 = Pattern.compile("[A-Za-z0-9+/]{43}=");
  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");

  /** How a digest is written. */
  public enum Encoding {
    HEX,
    BASE64
  }

  private Hashing() {}

  public static String sha256(String value, Encoding encoding) {
    byte[] digest = digest(value);
    return encoding == Encoding.HEX
        ? HexFormat.of().formatHex(digest)
        : Base64.getEncoder().encodeToString(digest);
  }

  /**
   * 64 hex characters (any case) or 44 Base64 characters: a SHA-256 digest, not to be hashed again.
   */
  public static boolean isSha256(String value) {
    return value != null
        && (SHA256_HEX.matcher(value).matches() || SHA256_BASE64.matcher(value).matches());
  }

  /**
   * 32 hex characters: an MD5 digest (the platform's email hash is often one), useless to SHA-256
   * partners.
   */
  public static boolean isMd5(String value) {
    return value != null && MD5_HEX.matcher(value).matches();
  }

  /**
   * A SHA-256 value in the requested encoding: an already-hashed value is re-encoded (hex
   * lower-cased), anything else is hashed as given (normalise first).
   */
  public static String sha256OrAsIs(String value, Encoding encoding) {
    if (SHA256_HEX.matcher(value).matches()) {
      return encoding == Encoding.HEX
          ? value.toLowerCase(java.util.Locale.ROOT)
          : Base64.getEncoder().encodeToString(HexFormat.of().parseHex(value));
    }
    if (SHA256_BASE64.matcher(value).matches()) {
      return encoding == Encoding.BASE64
          ? value
          : HexFormat.of().formatHex(Base64.getDecoder().decode(value));
    }
    return sha256(value, encoding);
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

package io.audiencerelay.adapters.partner.meta;

import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.hashing.Hashing;
import io.audiencerelay.domain.hashing.Hashing.Encoding;
import io.audiencerelay.domain.hashing.Normalization;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Users as rows of Meta's multi-key schema {@code EMAIL, MADID, EXTERN_ID}: every key SHA-256
 * hashed but {@code EXTERN_ID}, as Meta's own SDK does; and the upload session's id.
 */
final class MetaRows {
  static final List<String> SCHEMA = List.of("EMAIL", "MADID", "EXTERN_ID");

  private MetaRows() {}

  /** A raw mobile advertising id, bare or as {@code mob:<os>:raw:<id>}; hashed ids are not. */
  private static final Pattern RAW_MOBILE_ID =
      Pattern.compile("^(?:mob:[a-z]+:raw:)?([^:]+)$", Pattern.CASE_INSENSITIVE);

  /** A positive 63-bit id, stable for a key: Meta's session ids are 64-bit integers. */
  static long sessionId(String key) {
    byte[] digest = java.util.HexFormat.of().parseHex(Hashing.sha256(key, Encoding.HEX));
    long id = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      id = (id << 8) | (digest[i] & 0xff);
    }
    return id & Long.MAX_VALUE;
  }

  /**
   * One row of the schema, "" where unknown: the hashed e-mail; the mobile advertising id,
   * normalised and (by default) hashed; the external id in clear, as Meta's hashing table asks.
   */
  static List<String> row(List<UserIdentifier> identifiers, boolean hashMadid) {
    String email = "";
    String madid = "";
    String externId = "";
    for (UserIdentifier identifier : identifiers) {
      if (identifier instanceof UserIdentifier.UserEmail e && email.isEmpty()) {
        email = hashedEmail(e).orElse("");
      } else if (identifier instanceof UserIdentifier.DeviceTechnicalId d
          && madid.isEmpty()
          && d.kind().equals("MOBILE_ADVERTISING_ID")) {
        madid = mobileId(d.deviceId(), hashMadid).orElse("");
      } else if (identifier instanceof UserIdentifier.UserAccount a && externId.isEmpty()) {
        externId = a.userAccountId().strip();
      }
    }
    return List.of(email, madid, externId);
  }

  /**
   * A raw mobile advertising id, trimmed and lower-cased with its hyphens kept, then SHA-256 hex
   * unless the destination says not to hash it.
   */
  static Optional<String> mobileId(String deviceId, boolean hash) {
    Matcher raw = RAW_MOBILE_ID.matcher(deviceId.strip());
    if (!raw.matches()) {
      return Optional.empty(); // an already-hashed id of unknown normalisation: unusable
    }
    String normalised = raw.group(1).toLowerCase(Locale.ROOT);
    return Optional.of(hash ? Hashing.sha256(normalised, Encoding.HEX) : normalised);
  }

  /**
   * A SHA-256 of the normalised address; a platform hash is used only when it is already a SHA-256.
   */
  static Optional<String> hashedEmail(UserIdentifier.UserEmail email) {
    if (email.email() != null) {
      return Normalization.email(email.email()).map(clear -> Hashing.sha256(clear, Encoding.HEX));
    }
    return email.hash() != null && Hashing.isSha256(email.hash())
        ? Optional.of(Hashing.sha256OrAsIs(email.hash(), Encoding.HEX))
        : Optional.empty();
  }
}

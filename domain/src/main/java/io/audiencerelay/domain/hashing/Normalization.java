package io.audiencerelay.domain.hashing;

import java.util.Locale;
import java.util.Optional;

/**
 * Identifier normalisation before hashing, as partners match: a hash of {@code " Jane@Example.com"}
 * never matches a hash of {@code "jane@example.com"}. Each function returns empty for a value that
 * normalises to nothing usable.
 */
public final class Normalization {
  private Normalization() {}

  /**
   * Trimmed and lower-cased; empty unless it looks like an address (one {@code @}, something on
   * each side).
   */
  public static Optional<String> email(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String email = raw.strip().toLowerCase(Locale.ROOT);
    int at = email.indexOf('@');
    if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(email);
  }

  /**
   * Like {@link #email}, with every whitespace character removed, inside as well (Google's Data
   * Manager rule).
   */
  public static Optional<String> emailWithoutAnyWhitespace(String raw) {
    return raw == null ? Optional.empty() : email(raw.replaceAll("\\s+", ""));
  }

  /**
   * Gmail's own equivalence (Google Customer Match, UID2): for {@code gmail.com} and {@code
   * googlemail.com}, dots in the local part are dropped, a {@code +suffix} is dropped, and the
   * domain becomes {@code gmail.com}. Other domains are returned unchanged.
   */
  public static Optional<String> gmailCanonical(String raw) {
    return email(raw)
        .map(
            email -> {
              int at = email.indexOf('@');
              String domain = email.substring(at + 1);
              if (!domain.equals("gmail.com") && !domain.equals("googlemail.com")) {
                return email;
              }
              String local = email.substring(0, at);
              int plus = local.indexOf('+');
              if (plus >= 0) {
                local = local.substring(0, plus);
              }
              return local.replace(".", "") + "@gmail.com";
            })
        .filter(email -> email.indexOf('@') > 0);
  }

  /**
   * A phone number as E.164 digits without the plus sign: {@code "+33 6 12-34-56-78"} becomes
   * {@code "33612345678"}. A number written nationally (leading 0, no country code) gets the
   * default country code in place of the leading zeros; {@code 00} international prefixes are
   * removed.
   *
   * @param defaultCountryCode digits of the country code for national numbers, or null to refuse
   *     them
   */
  public static Optional<String> phoneE164Digits(String raw, String defaultCountryCode) {
    if (raw == null) {
      return Optional.empty();
    }
    String text = raw.strip();
    boolean international = text.startsWith("+");
    StringBuilder digits = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (Character.isLetter(c)) {
        return Optional.empty();
      }
    }
    String number = digits.toString();
    if (!international && number.startsWith("00")) {
      number = number.substring(2);
      international = true;
    }
    if (!international) {
      if (defaultCountryCode == null || !number.startsWith("0")) {
        return Optional.empty();
      }
      number = defaultCountryCode + number.replaceFirst("^0+", "");
    }
    number = number.replaceFirst("^0+", "");
    // E.164: at most 15 digits; fewer than 8 cannot be a full international number.
    return number.length() >= 8 && number.length() <= 15 ? Optional.of(number) : Optional.empty();
  }
}

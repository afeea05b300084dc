package io.audiencerelay.domain;

/**
 * Argument checks shared by the domain records, so every invariant fails with the same clear
 * wording.
 */
public final class Require {
  private Require() {}

  /**
   * Returns the value stripped of surrounding blanks, or throws naming the field when it is null or
   * blank.
   */
  public static String nonBlank(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    String stripped = value.strip();
    if (stripped.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return stripped;
  }

  /**
   * As {@link #nonBlank}, for a value that names something (an id, a key): it must also be plain
   * text, without control characters or unpaired surrogates. Such characters never belong in an id,
   * and some stores refuse them (PostgreSQL refuses NUL in text), which must not fail other writes.
   *
   * @throws InvalidTextException naming the field and the offending character
   */
  public static String id(String value, String field) {
    return plainText(nonBlank(value, field), field);
  }

  /** As {@link #optional}, with the checks of {@link #id}. */
  public static String optionalId(String value, String field) {
    String stripped = optional(value);
    return stripped == null ? null : plainText(stripped, field);
  }

  private static String plainText(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        throw new InvalidTextException(
            field
                + " must not contain control characters (found U+"
                + String.format("%04X", (int) c)
                + " at position "
                + i
                + ")");
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          throw new InvalidTextException(
              field + " must be valid text (an unpaired surrogate at position " + i + ")");
        }
        i++;
      }
    }
    return value;
  }

  /** A value holds characters that no id may hold; the message names the field. */
  public static final class InvalidTextException extends IllegalArgumentException {
    public InvalidTextException(String message) {
      super(message);
    }
  }

  public static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  /** Null or blank becomes null; anything else is stripped. For optional text fields. */
  public static String optional(String value) {
    if (value == null) {
      return null;
    }
    String stripped = value.strip();
    return stripped.isEmpty() ? null : stripped;
  }
}

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

package io.audiencerelay.domain;

import java.util.regex.Pattern;

/** The name under which a destination is declared in the relay's configuration. */
public record DestinationName(String value) {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public DestinationName {
    value = Require.nonBlank(value, "destination name");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "destination name '" + value + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}

package io.audiencerelay.bootstrap.config;

import io.audiencerelay.domain.DestinationName;

/**
 * The {@code mapp:} section: the Mapp DMP DIY endpoint at {@code /mapp/diy}.
 *
 * @param secret the X-HMAC key, or null only with {@code allow_unsigned: true}; secret, never
 *     printed
 * @param basicPassword secret, never printed
 */
public record MappSettings(
    String secret,
    String basicUser,
    String basicPassword,
    DestinationName destination,
    boolean signedValidate) {
  @Override
  public String toString() {
    return "MappSettings[destination="
        + destination
        + ", signed="
        + (secret != null)
        + ", basicAuth="
        + (basicUser != null)
        + "]";
  }
}

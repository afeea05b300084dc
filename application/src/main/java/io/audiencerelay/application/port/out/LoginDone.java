package io.audiencerelay.application.port.out;

/**
 * A partner's own login callback went through.
 *
 * @param refreshToken the grant to keep on the platform for the feed destination, or null
 */
public record LoginDone(String message, String refreshToken) {
  @Override
  public String toString() {
    return "LoginDone[message=" + message + ", refreshToken=<redacted>]";
  }
}

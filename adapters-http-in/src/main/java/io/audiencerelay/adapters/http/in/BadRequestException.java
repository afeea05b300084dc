package io.audiencerelay.adapters.http.in;

/** The request cannot be used as sent; answered 400 with the message, which names the problem. */
public final class BadRequestException extends RuntimeException {
  private final String bodyKey;

  private BadRequestException(String bodyKey, String message) {
    super(message, null, false, false);
    this.bodyKey = bodyKey;
  }

  /**
   * A transport-level problem (no body, not JSON): answered {@code {"error": message}} like the
   * SDK's filter.
   */
  public static BadRequestException body(String message) {
    return new BadRequestException("error", message);
  }

  /**
   * A protocol-level problem (a field missing or wrong): answered {@code
   * {"status":"error","message":...}}.
   */
  public static BadRequestException field(String message) {
    return new BadRequestException("message", message);
  }

  boolean transportLevel() {
    return bodyKey.equals("error");
  }
}

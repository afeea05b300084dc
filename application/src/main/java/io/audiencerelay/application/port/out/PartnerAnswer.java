package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.Require;

/**
 * A partner's answer to one of its optional requests: the value asked for, "not now" with the
 * reason (the partner failed or could not be reached), or "not a thing this partner does".
 */
public sealed interface PartnerAnswer<T> {

  record Given<T>(T value) implements PartnerAnswer<T> {
    public Given {
      Require.present(value, "value");
    }
  }

  /** The partner could not give it now; the reason is safe to show to the platform's user. */
  record Unavailable<T>(String reason) implements PartnerAnswer<T> {
    public Unavailable {
      reason = Require.nonBlank(reason, "reason");
    }
  }

  record NotOffered<T>() implements PartnerAnswer<T> {}

  static <T> PartnerAnswer<T> given(T value) {
    return new Given<>(value);
  }

  static <T> PartnerAnswer<T> unavailable(String reason) {
    return new Unavailable<>(reason);
  }

  static <T> PartnerAnswer<T> notOffered() {
    return new NotOffered<>();
  }
}

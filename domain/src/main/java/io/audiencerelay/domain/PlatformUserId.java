package io.audiencerelay.domain;

/** A user of the platform's UI, the one who grants the relay access to a partner account. */
public record PlatformUserId(String value) {
  public PlatformUserId {
    value = Require.id(value, "user_id");
  }

  @Override
  public String toString() {
    return value;
  }
}

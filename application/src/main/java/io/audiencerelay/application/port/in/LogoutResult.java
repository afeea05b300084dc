package io.audiencerelay.application.port.in;

/** Answer to a logout. */
public sealed interface LogoutResult
    permits LogoutResult.LoggedOut, Failed, NotImplemented, Unroutable {
  record LoggedOut(String message) implements LogoutResult {}
}

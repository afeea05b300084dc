package io.audiencerelay.application.port.in;

/** Drops a platform user's partner authentication. */
public interface LogoutUseCase {
  LogoutResult logout(LogoutCommand command);
}

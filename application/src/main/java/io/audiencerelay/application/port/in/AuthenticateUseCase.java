package io.audiencerelay.application.port.in;

/** Completes a partner OAuth grant. */
public interface AuthenticateUseCase {
  AuthenticationResult authenticate(AuthenticateCommand command);
}

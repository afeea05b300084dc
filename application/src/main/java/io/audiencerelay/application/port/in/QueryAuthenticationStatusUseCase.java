package io.audiencerelay.application.port.in;

/** Tells whether a platform user is authenticated to a partner. */
public interface QueryAuthenticationStatusUseCase {
  AuthenticationStatusResult query(AuthenticationStatusQuery command);
}

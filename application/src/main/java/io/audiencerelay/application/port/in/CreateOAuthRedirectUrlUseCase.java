package io.audiencerelay.application.port.in;

/** Builds the partner login URL for a feed destination. */
public interface CreateOAuthRedirectUrlUseCase {
  OAuthRedirectResult create(OAuthRedirectUrlQuery command);
}

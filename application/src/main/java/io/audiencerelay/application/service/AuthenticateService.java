package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticateUseCase;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.service.FeedRouting.Resolution;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedProperties;

/**
 * Completes a partner OAuth grant. When the platform names a feed destination, the grant's refresh
 * token is stored on the platform for it before the answer, as the protocol requires; it never
 * appears in the answer.
 */
public final class AuthenticateService implements AuthenticateUseCase {
  private final FeedRouting routing;
  private final PlatformGateway gateway;

  public AuthenticateService(FeedRouting routing, PlatformGateway gateway) {
    this.routing = routing;
    this.gateway = gateway;
  }

  @Override
  public AuthenticationResult authenticate(AuthenticateCommand command) {
    return switch (routing.forProperties(FeedProperties.none())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.Resolved resolved -> {
        AuthenticationResult result =
            resolved.route().connector().authenticate(resolved.route().destination(), command);
        if (result instanceof AuthenticationResult.Authenticated ok
            && command.feedDestinationId() != null) {
          if (ok.refreshToken() == null || ok.refreshToken().isBlank()) {
            yield new Failed(
                "Plugin must return a refresh_token when feed_destination_id is present");
          }
          try {
            gateway.saveCredentials(
                command.feedDestinationId(),
                DestinationCredentials.oauth2RefreshToken(ok.refreshToken()));
          } catch (PlatformUnavailableException e) {
            yield new Failed("Could not store the grant on the platform: " + e.getMessage());
          }
        }
        yield result;
      }
    };
  }
}

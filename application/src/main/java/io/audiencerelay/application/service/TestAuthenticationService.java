package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.TestAuthenticationUseCase;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.service.FeedRouting.Resolution;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedProperties;
import java.util.Optional;

/** Reads a feed destination's credentials afresh (never cached) and has the partner test them. */
public final class TestAuthenticationService implements TestAuthenticationUseCase {
  static final String NO_CREDENTIALS = "Could not fetch feed destination credentials";

  private final FeedRouting routing;
  private final PlatformGateway gateway;

  public TestAuthenticationService(FeedRouting routing, PlatformGateway gateway) {
    this.routing = routing;
    this.gateway = gateway;
  }

  @Override
  public CredentialsTestResult test(FeedDestinationId feedDestinationId) {
    Optional<DestinationCredentials> credentials;
    try {
      credentials = gateway.reloadCredentials(feedDestinationId);
    } catch (PlatformUnavailableException e) {
      return new Failed(NO_CREDENTIALS);
    }
    if (credentials.isEmpty()) {
      return new Failed(NO_CREDENTIALS);
    }
    return switch (routing.forProperties(FeedProperties.none())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.Resolved resolved ->
          resolved
              .route()
              .connector()
              .testAuthentication(resolved.route().destination(), credentials.get());
    };
  }
}

package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.TestAuthenticationUseCase;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.out.CredentialsCheck;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedDestinationId;
import java.util.Optional;

/** Reads a feed destination's credentials afresh (never cached) and has the partner test them. */
public final class TestAuthenticationService implements TestAuthenticationUseCase {
  static final String NO_CREDENTIALS = "Could not fetch feed destination credentials";

  private final AuthenticationRouting routing;
  private final PlatformGateway gateway;

  public TestAuthenticationService(AuthenticationRouting routing, PlatformGateway gateway) {
    this.routing = routing;
    this.gateway = gateway;
  }

  @Override
  public CredentialsTestResult test(FeedDestinationId feedDestinationId) {
    // The destination first: no destination that can test credentials is the protocol's
    // not_implemented, whatever the platform holds.
    Route route;
    switch (routing.choose(
        PartnerCapability.TEST_AUTHENTICATION,
        AuthenticationRouting.Hints.of(feedDestinationId, null))) {
      case AuthenticationRouting.Choice.NotOffered none -> {
        return new NotImplemented(null);
      }
      case AuthenticationRouting.Choice.Unresolved unresolved -> {
        return new Unroutable(unresolved.message());
      }
      case AuthenticationRouting.Choice.Chosen chosen -> route = chosen.route();
    }
    Optional<DestinationCredentials> credentials;
    try {
      credentials = gateway.reloadCredentials(feedDestinationId);
    } catch (PlatformUnavailableException e) {
      return new Failed(NO_CREDENTIALS);
    }
    if (credentials.isEmpty()) {
      return new Failed(NO_CREDENTIALS);
    }
    return switch (route.connector().testAuthentication(route.destination(), credentials.get())) {
      case PartnerAnswer.Given<CredentialsCheck> given ->
          switch (given.value()) {
            case CredentialsCheck.Valid valid -> new CredentialsTestResult.Valid(valid.message());
            case CredentialsCheck.Invalid invalid ->
                new CredentialsTestResult.Invalid(invalid.message());
          };
      case PartnerAnswer.Unavailable<CredentialsCheck> unavailable ->
          new Failed(unavailable.reason());
      case PartnerAnswer.NotOffered<CredentialsCheck> none -> new NotImplemented(null);
    };
  }
}

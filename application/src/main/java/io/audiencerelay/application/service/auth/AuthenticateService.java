package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticateUseCase;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.LoginDone;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.Visibility;
import java.util.Objects;

/**
 * Completes a partner OAuth grant. For partners with an {@link OAuthProvider} the relay checks the
 * sealed state (issued by this relay, for this destination, feed destination and user, not expired,
 * not used before), trades the code for tokens and stores them encrypted under the platform user.
 *
 * <p>When the platform names a feed destination, the grant's refresh token is stored on the
 * platform for it before the answer, as the protocol requires; it never appears in the answer.
 */
public final class AuthenticateService implements AuthenticateUseCase {
  private final AuthenticationRouting routing;
  private final PlatformGateway gateway;
  private final OAuthStates states;
  private final PartnerGrants grants;

  public AuthenticateService(
      AuthenticationRouting routing,
      PlatformGateway gateway,
      OAuthStates states,
      PartnerGrants grants) {
    this.routing = routing;
    this.gateway = gateway;
    this.states = states;
    this.grants = grants;
  }

  @Override
  public AuthenticationResult authenticate(AuthenticateCommand command) {
    // A state this relay sealed names its destination; other callbacks are matched by their feed
    // destination, their plugin version, or as the only destination that takes them.
    var hints =
        new AuthenticationRouting.Hints(
            FeedProperties.none(),
            states.destinationOf(command.params().get("state")),
            command.feedDestinationId(),
            command.pluginVersionId());
    return switch (routing.choose(PartnerCapability.AUTHENTICATION, hints)) {
      case AuthenticationRouting.Choice.NotOffered none -> new NotImplemented(null);
      case AuthenticationRouting.Choice.Unresolved unresolved ->
          new Unroutable(unresolved.message());
      case AuthenticationRouting.Choice.Chosen resolved -> {
        Destination destination = resolved.route().destination();
        AuthenticationResult result =
            resolved
                .route()
                .connector()
                .oauth(destination)
                .map(provider -> exchange(destination, provider, command))
                .orElseGet(
                    () ->
                        fromPartner(
                            resolved
                                .route()
                                .connector()
                                .authenticate(destination, request(command))));
        yield result instanceof AuthenticationResult.Authenticated ok
                && command.feedDestinationId() != null
            ? storeOnPlatform(ok, command)
            : result;
      }
    };
  }

  private AuthenticationResult exchange(
      Destination destination, OAuthProvider provider, AuthenticateCommand command) {
    String partnerError = command.params().get("error");
    if (partnerError != null) {
      return new Failed(
          "The partner refused the login: "
              + command.params().getOrDefault("error_description", partnerError),
          Visibility.PUBLIC);
    }
    OAuthStates.Claims claims;
    switch (states.open(command.params().get("state"))) {
      case OAuthStates.Check.Refused refused -> {
        return new Failed(refused.reason(), Visibility.PUBLIC);
      }
      case OAuthStates.Check.Valid valid -> claims = valid.claims();
    }
    String mismatch = mismatch(claims, destination, command);
    if (mismatch != null) {
      return new Failed(mismatch, Visibility.PUBLIC);
    }
    String code = command.params().get("code");
    if (code == null || code.isBlank()) {
      return new Failed("The OAuth callback carries no code", Visibility.PUBLIC);
    }
    return switch (provider.exchangeCode(destination, code)) {
      case GrantOutcome.Granted granted -> {
        try {
          grants.save(new TokenKey(destination.name(), command.user().value()), granted.tokens());
        } catch (IllegalStateException storeUnusable) {
          // For example a shared database without token keys: say what to configure.
          yield new Failed("The relay could not keep the grant: " + storeUnusable.getMessage());
        }
        yield new AuthenticationResult.Authenticated(
            "Connected to the " + destination.type() + " account", granted.tokens().refreshToken());
      }
      case GrantOutcome.Revoked revoked ->
          new Failed("The partner refused the code: " + revoked.reason(), Visibility.PUBLIC);
      case GrantOutcome.Unavailable unavailable ->
          new Failed(
              "The partner could not complete the login, try again: " + unavailable.reason(),
              Visibility.PUBLIC);
    };
  }

  /** Why a valid state does not belong to this callback, or null when it does. */
  private static String mismatch(
      OAuthStates.Claims claims, Destination destination, AuthenticateCommand command) {
    if (!claims.destination().equals(destination.name())) {
      return "The OAuth state was issued for another destination";
    }
    if (claims.feedDestinationId() != null
        && !Objects.equals(claims.feedDestinationId(), command.feedDestinationId())) {
      return "The OAuth state was issued for another feed destination";
    }
    if (claims.user() != null && !claims.user().equals(command.user())) {
      return "The OAuth state was issued for another user";
    }
    return null;
  }

  private AuthenticationResult storeOnPlatform(
      AuthenticationResult.Authenticated ok, AuthenticateCommand command) {
    if (ok.refreshToken() == null || ok.refreshToken().isBlank()) {
      return new Failed("Plugin must return a refresh_token when feed_destination_id is present");
    }
    try {
      gateway.saveCredentials(
          command.feedDestinationId(),
          DestinationCredentials.oauth2RefreshToken(ok.refreshToken()));
    } catch (PlatformUnavailableException e) {
      return new Failed("Could not store the grant on the platform: " + e.getMessage());
    }
    return ok;
  }

  private static UserRequest request(AuthenticateCommand command) {
    return new UserRequest(
        command.user(),
        null,
        null,
        command.pluginVersionId(),
        command.feedDestinationId(),
        null,
        command.params());
  }

  private static AuthenticationResult fromPartner(PartnerAnswer<LoginDone> answer) {
    return switch (answer) {
      case PartnerAnswer.Given<LoginDone> given ->
          new AuthenticationResult.Authenticated(
              given.value().message(), given.value().refreshToken());
      case PartnerAnswer.Unavailable<LoginDone> unavailable -> new Failed(unavailable.reason());
      case PartnerAnswer.NotOffered<LoginDone> none -> new NotImplemented(null);
    };
  }
}

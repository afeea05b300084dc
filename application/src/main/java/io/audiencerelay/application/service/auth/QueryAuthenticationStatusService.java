package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.QueryAuthenticationStatusUseCase;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.out.LoginState;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.AuthenticationState;
import io.audiencerelay.domain.Destination;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the platform user is authenticated to the destination's partner. For OAuth partners the
 * relay answers from the grant it holds, and a user without a usable grant gets a login URL whose
 * state is bound to them.
 */
public final class QueryAuthenticationStatusService implements QueryAuthenticationStatusUseCase {
  private final AuthenticationRouting routing;
  private final OAuthStates states;
  private final PartnerGrants grants;

  public QueryAuthenticationStatusService(
      AuthenticationRouting routing, OAuthStates states, PartnerGrants grants) {
    this.routing = routing;
    this.states = states;
    this.grants = grants;
  }

  @Override
  public AuthenticationStatusResult query(AuthenticationStatusQuery query) {
    var hints = AuthenticationRouting.Hints.of(query.properties(), query.pluginVersionId());
    return switch (routing.choose(PartnerCapability.AUTHENTICATION_STATUS, hints)) {
      case AuthenticationRouting.Choice.NotOffered none -> new NotImplemented(null);
      case AuthenticationRouting.Choice.Unresolved unresolved ->
          new Unroutable(unresolved.message());
      case AuthenticationRouting.Choice.Chosen chosen -> {
        Destination destination = chosen.route().destination();
        Optional<OAuthProvider> oauth = chosen.route().connector().oauth(destination);
        yield oauth.isPresent()
            ? fromGrant(destination, oauth.get(), query)
            : fromPartner(
                chosen.route().connector().authenticationStatus(destination, request(query)));
      }
    };
  }

  private AuthenticationStatusResult fromGrant(
      Destination destination, OAuthProvider provider, AuthenticationStatusQuery query) {
    AuthenticationState state =
        grants.state(new TokenKey(destination.name(), query.user().value()));
    return switch (state) {
      case AuthenticationState.Authenticated authenticated -> {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("destination", destination.name().value());
        if (authenticated.expiresAt() != null) {
          data.put("expires_at", authenticated.expiresAt().toString());
        }
        yield new AuthenticationStatusResult.Authenticated(data);
      }
      case AuthenticationState.NotAuthenticated ignored ->
          new AuthenticationStatusResult.NotAuthenticated(
              loginUrl(destination, provider, query), null);
      case AuthenticationState.NeedsReauthentication reauthentication ->
          new AuthenticationStatusResult.NotAuthenticated(
              loginUrl(destination, provider, query), "Log in again: " + reauthentication.reason());
    };
  }

  private String loginUrl(
      Destination destination, OAuthProvider provider, AuthenticationStatusQuery query) {
    return provider.authorizationUrl(
        destination, states.seal(destination.name(), null, query.user()));
  }

  private static UserRequest request(AuthenticationStatusQuery query) {
    return new UserRequest(
        query.user(),
        query.datamartId(),
        query.segmentId(),
        query.pluginVersionId(),
        null,
        query.properties(),
        null);
  }

  private static AuthenticationStatusResult fromPartner(PartnerAnswer<LoginState> answer) {
    return switch (answer) {
      case PartnerAnswer.Given<LoginState> given ->
          switch (given.value()) {
            case LoginState.LoggedIn in -> new AuthenticationStatusResult.Authenticated(in.data());
            case LoginState.LoggedOut out ->
                new AuthenticationStatusResult.NotAuthenticated(out.loginUrl(), out.message());
          };
      case PartnerAnswer.Unavailable<LoginState> unavailable -> new Failed(unavailable.reason());
      case PartnerAnswer.NotOffered<LoginState> none -> new NotImplemented(null);
    };
  }
}

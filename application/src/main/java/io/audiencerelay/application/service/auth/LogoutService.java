package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.LogoutUseCase;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.domain.FeedProperties;
import java.util.List;
import java.util.function.Predicate;

/**
 * Drops the platform user's partner authentication. The request names no destination, so the relay
 * forgets the user's grant at every destination it runs a partner OAuth flow for; a partner that
 * implements logout itself is asked too, when the request can be matched to it.
 */
public final class LogoutService implements LogoutUseCase {
  private static final Predicate<Route> OWN_LOGOUT =
      route -> route.connector().oauth(route.destination()).isEmpty();

  private final AuthenticationRouting routing;
  private final PartnerGrants grants;

  public LogoutService(AuthenticationRouting routing, PartnerGrants grants) {
    this.routing = routing;
    this.grants = grants;
  }

  @Override
  public LogoutResult logout(LogoutCommand command) {
    List<Route> withOAuth =
        routing.offering(PartnerCapability.LOGOUT, route -> !OWN_LOGOUT.test(route));
    for (Route route : withOAuth) {
      grants.forget(new TokenKey(route.destination().name(), command.user().value()));
    }
    var hints = AuthenticationRouting.Hints.of(FeedProperties.none(), command.pluginVersionId());
    if (routing.offering(PartnerCapability.LOGOUT, OWN_LOGOUT).isEmpty()) {
      return withOAuth.isEmpty()
          ? new NotImplemented(null)
          : new LogoutResult.LoggedOut("Disconnected from the partner account");
    }
    return switch (routing.choose(PartnerCapability.LOGOUT, hints, OWN_LOGOUT)) {
      case AuthenticationRouting.Choice.Chosen chosen ->
          switch (chosen
              .route()
              .connector()
              .logout(
                  chosen.route().destination(),
                  new UserRequest(
                      command.user(),
                      command.datamartId(),
                      null,
                      command.pluginVersionId(),
                      null,
                      null,
                      null))) {
            case PartnerAnswer.Given<String> given -> new LogoutResult.LoggedOut(given.value());
            case PartnerAnswer.Unavailable<String> unavailable -> new Failed(unavailable.reason());
            case PartnerAnswer.NotOffered<String> none -> new NotImplemented(null);
          };
      case AuthenticationRouting.Choice.NotOffered none ->
          withOAuth.isEmpty()
              ? new NotImplemented(null)
              : new LogoutResult.LoggedOut("Disconnected from the partner account");
      case AuthenticationRouting.Choice.Unresolved unresolved ->
          withOAuth.isEmpty()
              ? new Unroutable(unresolved.message())
              // The grants are forgotten; only the partners' own logouts could not be matched.
              : new LogoutResult.LoggedOut(
                  "Disconnected from the partner account (" + unresolved.message() + ")");
    };
  }
}

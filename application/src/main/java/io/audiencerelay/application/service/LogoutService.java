package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.LogoutUseCase;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.application.service.FeedRouting.Resolution;
import io.audiencerelay.domain.FeedProperties;

/**
 * Drops the platform user's partner authentication. For OAuth partners the relay forgets the stored
 * grant itself.
 */
public final class LogoutService implements LogoutUseCase {
  private final FeedRouting routing;
  private final PartnerGrants grants;

  public LogoutService(FeedRouting routing, PartnerGrants grants) {
    this.routing = routing;
    this.grants = grants;
  }

  @Override
  public LogoutResult logout(LogoutCommand command) {
    return switch (routing.forProperties(FeedProperties.none())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.Resolved resolved -> {
        if (resolved.route().connector().oauth(resolved.route().destination()).isPresent()) {
          grants.forget(
              new TokenKey(resolved.route().destination().name(), command.user().value()));
          yield new LogoutResult.LoggedOut("Disconnected from the partner account");
        }
        yield resolved.route().connector().logout(resolved.route().destination(), command);
      }
    };
  }
}

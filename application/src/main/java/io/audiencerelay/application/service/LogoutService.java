package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.LogoutUseCase;
import io.audiencerelay.application.service.FeedRouting.Resolution;
import io.audiencerelay.domain.FeedProperties;

/** Drops the platform user's partner authentication. */
public final class LogoutService implements LogoutUseCase {
  private final FeedRouting routing;

  public LogoutService(FeedRouting routing) {
    this.routing = routing;
  }

  @Override
  public LogoutResult logout(LogoutCommand command) {
    return switch (routing.forProperties(FeedProperties.none())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.Resolved resolved ->
          resolved.route().connector().logout(resolved.route().destination(), command);
    };
  }
}

package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.QueryAuthenticationStatusUseCase;
import io.audiencerelay.application.service.FeedRouting.Resolution;

/** Asks the destination's partner whether the platform user is authenticated. */
public final class QueryAuthenticationStatusService implements QueryAuthenticationStatusUseCase {
  private final FeedRouting routing;

  public QueryAuthenticationStatusService(FeedRouting routing) {
    this.routing = routing;
  }

  @Override
  public AuthenticationStatusResult query(AuthenticationStatusQuery query) {
    return switch (routing.forProperties(query.properties())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.Resolved resolved ->
          resolved.route().connector().authenticationStatus(resolved.route().destination(), query);
    };
  }
}

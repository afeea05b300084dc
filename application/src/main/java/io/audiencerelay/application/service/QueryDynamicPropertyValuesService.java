package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.QueryDynamicPropertyValuesUseCase;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.service.FeedRouting.Resolution;
import io.audiencerelay.domain.DestinationCredentials;
import java.util.Optional;

/**
 * Asks the destination's partner for the values a user may choose, with the feed destination's
 * credentials.
 */
public final class QueryDynamicPropertyValuesService implements QueryDynamicPropertyValuesUseCase {
  private final FeedRouting routing;
  private final PlatformGateway gateway;

  public QueryDynamicPropertyValuesService(FeedRouting routing, PlatformGateway gateway) {
    this.routing = routing;
    this.gateway = gateway;
  }

  @Override
  public DynamicPropertyValuesResult query(DynamicPropertyValuesQuery query) {
    return switch (routing.forProperties(query.properties())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.Resolved resolved -> {
        Optional<DestinationCredentials> credentials = Optional.empty();
        if (query.feedDestinationId() != null) {
          try {
            credentials = gateway.credentials(query.feedDestinationId());
          } catch (PlatformUnavailableException e) {
            yield new Failed("Could not fetch feed destination credentials: " + e.getMessage());
          }
        }
        yield resolved
            .route()
            .connector()
            .dynamicPropertyValues(resolved.route().destination(), query, credentials);
      }
    };
  }
}

package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.Require;

/** Which values may this user pick for the feed's account-dependent properties? */
public record DynamicPropertyValuesQuery(
    PlatformUserId user,
    String datamartId,
    String segmentId,
    FeedProperties properties,
    FeedDestinationId feedDestinationId) {
  public DynamicPropertyValuesQuery {
    Require.present(user, "user_id");
    Require.present(properties, "properties");
  }
}

package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.Require;

/**
 * Is this platform user authenticated to the partner? Properties name the destination when several
 * exist.
 */
public record AuthenticationStatusQuery(
    PlatformUserId user,
    String datamartId,
    String segmentId,
    String pluginVersionId,
    FeedProperties properties) {
  public AuthenticationStatusQuery {
    Require.present(user, "user_id");
    Require.present(properties, "properties");
  }
}

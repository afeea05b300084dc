package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.PlatformUserId;
import java.util.Map;

/**
 * What the platform tells a partner about a request of its user (login status, login callback,
 * logout, login URL, account choices); each call reads the fields it needs, the others may be null
 * or empty.
 *
 * @param params the partner's callback parameters (authentication only)
 */
public record UserRequest(
    PlatformUserId user,
    String datamartId,
    String segmentId,
    String pluginVersionId,
    FeedDestinationId feedDestination,
    FeedProperties properties,
    Map<String, String> params) {
  public UserRequest {
    properties = properties == null ? FeedProperties.none() : properties;
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}

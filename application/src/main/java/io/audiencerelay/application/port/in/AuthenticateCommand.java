package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.Require;
import java.util.Map;

/**
 * The partner's OAuth callback, relayed by the platform.
 *
 * @param params the callback's query parameters (for example {@code code} and {@code state});
 *     secret
 * @param feedDestinationId where to store the grant on the platform, or null
 */
public record AuthenticateCommand(
    PlatformUserId user,
    String pluginVersionId,
    Map<String, String> params,
    FeedDestinationId feedDestinationId) {
  public AuthenticateCommand {
    Require.present(user, "user_id");
    params = Map.copyOf(Require.present(params, "params"));
  }

  @Override
  public String toString() {
    return "AuthenticateCommand[user=" + user + ", params=" + params.keySet() + "]";
  }
}

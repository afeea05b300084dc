package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.Require;

/** Forget a platform user's partner authentication. */
public record LogoutCommand(PlatformUserId user, String pluginVersionId, String datamartId) {
  public LogoutCommand {
    Require.present(user, "user_id");
  }
}

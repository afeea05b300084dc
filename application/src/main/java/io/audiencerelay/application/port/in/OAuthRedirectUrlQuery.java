package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.Require;

/** Where should the user log in to grant access for this feed destination? */
public record OAuthRedirectUrlQuery(FeedDestinationId feedDestinationId, String pluginVersionId) {
  public OAuthRedirectUrlQuery {
    Require.present(feedDestinationId, "feed_destination_id");
  }
}

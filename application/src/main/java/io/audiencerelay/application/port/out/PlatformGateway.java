package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import java.util.Optional;

/**
 * The platform as the relay reads it: each feed's instance context and the credentials of feed
 * destinations. Backed by the mediarithmics plugin gateway, or by the relay's configuration when no
 * gateway is set.
 */
public interface PlatformGateway {

  /**
   * The feed's instance context, possibly from a cache.
   *
   * @throws PlatformUnavailableException when the platform could not be read
   */
  Feed feed(FeedId feedId);

  /** The feed's instance context read afresh (segment creation always reloads it). */
  default Feed reloadFeed(FeedId feedId) {
    return feed(feedId);
  }

  /** Stored credentials of a feed destination, possibly cached; empty when none are stored. */
  Optional<DestinationCredentials> credentials(FeedDestinationId destinationId);

  /** Stored credentials read afresh, never from a cache (for testing them). */
  default Optional<DestinationCredentials> reloadCredentials(FeedDestinationId destinationId) {
    return credentials(destinationId);
  }

  /** Stores credentials for a feed destination on the platform (after an OAuth grant). */
  void saveCredentials(FeedDestinationId destinationId, DestinationCredentials credentials);
}

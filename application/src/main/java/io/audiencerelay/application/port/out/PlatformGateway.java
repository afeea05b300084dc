package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperty;
import java.util.Map;
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

  /**
   * The settings a feed's {@code DATA_FILE} holds, possibly from a cache kept by the file's uri and
   * {@code last_modified}.
   *
   * @throws PlatformUnavailableException when the file could not be downloaded
   */
  DataFileSettings dataFileSettings(FeedProperty.DataFile file);

  /** What a data file holds, as settings. */
  sealed interface DataFileSettings {
    /**
     * A JSON object's values as text; a nested object's values under {@code <key>.<its key>}, for
     * example {@code audience_names.84213}.
     */
    record Read(Map<String, String> settings) implements DataFileSettings {
      public Read {
        settings = Map.copyOf(settings);
      }
    }

    /** Not a JSON object of settings, or too large; the reason says which. */
    record Unusable(String reason) implements DataFileSettings {}
  }
}

package io.audiencerelay.adapters.platform;

import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The platform as the relay's configuration describes it, for running without a plugin gateway:
 * feeds and their properties come from {@code feeds.<feed id>.properties}. A feed the configuration
 * does not list has no properties, so it goes to the default destination. Credentials saved after
 * an OAuth grant are kept in memory.
 */
public final class StaticPlatformGateway implements PlatformGateway {
  private final Map<FeedId, FeedProperties> feeds;
  private final Map<FeedDestinationId, DestinationCredentials> credentials =
      new ConcurrentHashMap<>();

  public StaticPlatformGateway(Map<FeedId, FeedProperties> feeds) {
    this.feeds = Map.copyOf(feeds);
  }

  @Override
  public Feed feed(FeedId feedId) {
    return new Feed(feedId, null, feeds.getOrDefault(feedId, FeedProperties.none()));
  }

  @Override
  public Optional<DestinationCredentials> credentials(FeedDestinationId destinationId) {
    return Optional.ofNullable(credentials.get(destinationId));
  }

  @Override
  public void saveCredentials(FeedDestinationId destinationId, DestinationCredentials saved) {
    credentials.put(destinationId, saved);
  }
}

package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.service.DestinationDirectory.DestinationNotResolvedException;
import io.audiencerelay.application.service.DestinationDirectory.Route;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.Visibility;

/** Finds the destination of a feed (through its instance context) or of a set of properties. */
public final class FeedRouting {

  /** Where a request goes, or why it cannot go anywhere. */
  public sealed interface Resolution {
    record Resolved(Feed feed, Route route) implements Resolution {}

    record Unresolved(Failed failure) implements Resolution {}
  }

  private final PlatformGateway gateway;
  private final DestinationDirectory directory;

  public FeedRouting(PlatformGateway gateway, DestinationDirectory directory) {
    this.gateway = gateway;
    this.directory = directory;
  }

  public Resolution forFeed(FeedId feedId) {
    return resolve(feedId, false);
  }

  /** Reloads the instance context first, as segment creation does. */
  public Resolution forFeedReloaded(FeedId feedId) {
    return resolve(feedId, true);
  }

  /** For the authentication routes, which carry properties but no feed. */
  public Resolution forProperties(FeedProperties properties) {
    try {
      return new Resolution.Resolved(null, directory.forProperties(properties));
    } catch (DestinationNotResolvedException e) {
      return new Resolution.Unresolved(new Failed(e.getMessage(), Visibility.PUBLIC));
    }
  }

  private Resolution resolve(FeedId feedId, boolean reload) {
    Feed feed;
    try {
      feed = reload ? gateway.reloadFeed(feedId) : gateway.feed(feedId);
    } catch (PlatformUnavailableException e) {
      return new Resolution.Unresolved(new Failed(e.getMessage(), Visibility.PRIVATE));
    }
    try {
      return new Resolution.Resolved(feed, directory.forProperties(feed.properties()));
    } catch (DestinationNotResolvedException e) {
      return new Resolution.Unresolved(
          new Failed("Feed " + feedId + ": " + e.getMessage(), Visibility.PUBLIC));
    }
  }
}

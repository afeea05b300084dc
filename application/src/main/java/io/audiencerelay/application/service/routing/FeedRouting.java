package io.audiencerelay.application.service.routing;

import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.service.routing.DestinationDirectory.DestinationNotResolvedException;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.Visibility;
import java.util.Optional;

/**
 * Finds the destination of a feed, through its instance context: the destination its property
 * {@code destination} names, else the one its feed destination is linked to (configured or
 * learned), else the only one configured.
 */
public final class FeedRouting {

  /** Where a request goes, or why it cannot go anywhere. */
  public sealed interface Resolution {
    record Resolved(Feed feed, Route route) implements Resolution {}

    record Unresolved(Failed failure) implements Resolution {}

    /**
     * The platform could not be read (the gateway down or slow): worth trying again, so an update
     * is answered the protocol's retry rather than an error.
     */
    record PlatformDown(String reason) implements Resolution {
      /**
       * How long the platform is asked to wait: a failed read is not cached, so the next try reads
       * the gateway again.
       */
      public static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(5);

      /** What a retry answer says. */
      public String retryMessage() {
        return "The platform cannot be read now: " + reason;
      }

      /** Where no retry answer exists: the protocol's error, kept private. */
      public Failed failure() {
        return new Failed(reason, Visibility.PRIVATE);
      }
    }
  }

  private final PlatformGateway gateway;
  private final DestinationDirectory directory;
  private final DestinationLinks links;

  public FeedRouting(
      PlatformGateway gateway, DestinationDirectory directory, DestinationLinks links) {
    this.gateway = gateway;
    this.directory = directory;
    this.links = links;
  }

  public Resolution forFeed(FeedId feedId) {
    return resolve(feedId, null, false);
  }

  /** As {@link #forFeed(FeedId)}, with the feed destination the request names (or null). */
  public Resolution forFeed(FeedId feedId, FeedDestinationId feedDestination) {
    return resolve(feedId, feedDestination, false);
  }

  /**
   * Reloads the instance context first, as segment creation does. A feed destination named with the
   * feed is linked to the feed's destination, for the authentication routes that carry only the
   * feed destination.
   */
  public Resolution forFeedReloaded(FeedId feedId, FeedDestinationId feedDestination) {
    return resolve(feedId, feedDestination, true);
  }

  /** As {@link #forFeedReloaded}, without reloading, as segment connection does. */
  public Resolution forFeedLinking(FeedId feedId, FeedDestinationId feedDestination) {
    Resolution resolution = resolve(feedId, feedDestination, false);
    learn(resolution, feedDestination);
    return resolution;
  }

  private Resolution resolve(FeedId feedId, FeedDestinationId feedDestination, boolean reload) {
    Feed feed;
    try {
      feed = reload ? gateway.reloadFeed(feedId) : gateway.feed(feedId);
    } catch (PlatformUnavailableException e) {
      return new Resolution.PlatformDown(e.getMessage());
    }
    Optional<Route> route;
    try {
      route = directory.named(feed.properties());
    } catch (DestinationNotResolvedException e) {
      return new Resolution.Unresolved(
          new Failed("Feed " + feedId + ": " + e.getMessage(), Visibility.PUBLIC));
    }
    if (route.isEmpty()) {
      route = directory.only();
    }
    if (route.isEmpty() && feedDestination != null) {
      route = links.ofFeedDestination(feedDestination).flatMap(directory::byName);
    }
    if (route.isEmpty()) {
      return new Resolution.Unresolved(
          new Failed(
              "Feed "
                  + feedId
                  + ": several destinations are configured ("
                  + directory.names()
                  + "): set the feed property 'destination' to one of them",
              Visibility.PUBLIC));
    }
    Resolution resolved = new Resolution.Resolved(feed, route.get());
    if (reload) {
      learn(resolved, feedDestination);
    }
    return resolved;
  }

  private void learn(Resolution resolution, FeedDestinationId feedDestination) {
    if (resolution instanceof Resolution.Resolved resolved && feedDestination != null) {
      links.learn(feedDestination, resolved.route().destination().name());
    }
  }
}

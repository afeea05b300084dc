package io.audiencerelay.application.service.routing;

import io.audiencerelay.application.port.out.DestinationLinkStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedDestinationId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which destination a platform feed destination or plugin version uses, for requests that carry no
 * feed: links configured by the operator first, then links learned when a segment creation or
 * connection resolved a feed that named its feed destination.
 */
public final class DestinationLinks {
  /** Learned links remembered in memory, so a repeated creation costs no database write. */
  private static final int REMEMBERED = 10_000;

  private final DestinationLinkStore learned;
  private final Map<FeedDestinationId, DestinationName> configuredFeedDestinations;
  private final Map<String, DestinationName> configuredPluginVersions;
  private final Map<FeedDestinationId, DestinationName> recentlyLearned =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FeedDestinationId, DestinationName> eldest) {
          return size() > REMEMBERED;
        }
      };

  public DestinationLinks(
      DestinationLinkStore learned,
      Map<FeedDestinationId, DestinationName> configuredFeedDestinations,
      Map<String, DestinationName> configuredPluginVersions) {
    this.learned = learned;
    this.configuredFeedDestinations = Map.copyOf(configuredFeedDestinations);
    this.configuredPluginVersions = Map.copyOf(configuredPluginVersions);
  }

  /** No configured links, nothing learned kept: for tools and tests with one destination. */
  public static DestinationLinks none() {
    return new DestinationLinks(
        new DestinationLinkStore() {
          @Override
          public Optional<DestinationName> find(FeedDestinationId feedDestination) {
            return Optional.empty();
          }

          @Override
          public void link(FeedDestinationId feedDestination, DestinationName destination) {}
        },
        Map.of(),
        Map.of());
  }

  public Optional<DestinationName> ofFeedDestination(FeedDestinationId feedDestination) {
    if (feedDestination == null) {
      return Optional.empty();
    }
    DestinationName configured = configuredFeedDestinations.get(feedDestination);
    if (configured != null) {
      return Optional.of(configured);
    }
    synchronized (recentlyLearned) {
      DestinationName known = recentlyLearned.get(feedDestination);
      if (known != null) {
        return Optional.of(known);
      }
    }
    return learned.find(feedDestination);
  }

  public Optional<DestinationName> ofPluginVersion(String pluginVersionId) {
    return pluginVersionId == null
        ? Optional.empty()
        : Optional.ofNullable(configuredPluginVersions.get(pluginVersionId.strip()));
  }

  /**
   * A feed of this feed destination was resolved to this destination. A configured link wins over
   * what is learned, so it is not overwritten.
   */
  public void learn(FeedDestinationId feedDestination, DestinationName destination) {
    if (feedDestination == null || configuredFeedDestinations.containsKey(feedDestination)) {
      return;
    }
    synchronized (recentlyLearned) {
      if (destination.equals(recentlyLearned.get(feedDestination))) {
        return;
      }
    }
    learned.link(feedDestination, destination);
    synchronized (recentlyLearned) {
      recentlyLearned.put(feedDestination, destination);
    }
  }
}

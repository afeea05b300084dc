package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A platform held in maps; {@link #failing} makes every read fail as an unreachable gateway would.
 */
public final class FakePlatformGateway implements PlatformGateway {
  public final Map<FeedId, FeedProperties> feeds = new ConcurrentHashMap<>();
  public final Map<FeedDestinationId, DestinationCredentials> credentials =
      new ConcurrentHashMap<>();
  public final List<String> calls = new ArrayList<>();
  public volatile boolean failing;

  /** Data files by uri: a JSON-like map of settings, or a reason they are unusable. */
  public final Map<String, DataFileSettings> dataFiles = new ConcurrentHashMap<>();

  @Override
  public synchronized Feed feed(FeedId feedId) {
    calls.add("feed " + feedId);
    failIfAsked();
    return new Feed(feedId, "1185", feeds.getOrDefault(feedId, FeedProperties.none()));
  }

  @Override
  public synchronized Feed reloadFeed(FeedId feedId) {
    calls.add("reload " + feedId);
    failIfAsked();
    return new Feed(feedId, "1185", feeds.getOrDefault(feedId, FeedProperties.none()));
  }

  @Override
  public synchronized Optional<DestinationCredentials> credentials(
      FeedDestinationId destinationId) {
    calls.add("credentials " + destinationId);
    failIfAsked();
    return Optional.ofNullable(credentials.get(destinationId));
  }

  @Override
  public synchronized Optional<DestinationCredentials> reloadCredentials(
      FeedDestinationId destinationId) {
    calls.add("reload credentials " + destinationId);
    failIfAsked();
    return Optional.ofNullable(credentials.get(destinationId));
  }

  @Override
  public synchronized void saveCredentials(
      FeedDestinationId destinationId, DestinationCredentials saved) {
    calls.add("save credentials " + destinationId);
    failIfAsked();
    credentials.put(destinationId, saved);
  }

  @Override
  public synchronized DataFileSettings dataFileSettings(FeedProperty.DataFile file) {
    calls.add("data file " + file.uri());
    failIfAsked();
    DataFileSettings settings = dataFiles.get(file.uri());
    return settings != null
        ? settings
        : new DataFileSettings.Unusable("the platform has no data file at " + file.uri());
  }

  private void failIfAsked() {
    if (failing) {
      throw new PlatformUnavailableException(
          "Gateway answered 500 to GET /v1/audience_segment_external_feeds");
    }
  }
}

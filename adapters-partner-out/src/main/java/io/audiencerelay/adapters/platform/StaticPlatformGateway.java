package io.audiencerelay.adapters.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private static final ObjectMapper MAPPER = new ObjectMapper();

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

  /**
   * A static feed's data file is a local file: {@code data_file} names its path (or a {@code file:}
   * URI). Read afresh each time, so an edit takes effect without a restart.
   */
  @Override
  public DataFileSettings dataFileSettings(FeedProperty.DataFile file) {
    Path path;
    try {
      path = file.uri().startsWith("file:") ? Path.of(URI.create(file.uri())) : Path.of(file.uri());
    } catch (IllegalArgumentException e) { // InvalidPathException too
      return new DataFileSettings.Unusable("'" + file.uri() + "' is not a file path");
    }
    try {
      if (Files.size(path) > DataFiles.MAX_BYTES) {
        return DataFiles.tooLarge(); // known from its size, before it is read
      }
      return DataFiles.settings(Files.readAllBytes(path), MAPPER);
    } catch (java.nio.file.NoSuchFileException e) {
      return new DataFileSettings.Unusable("no data file at " + file.uri());
    } catch (IOException e) {
      throw new PlatformUnavailableException(
          "Could not read the data file " + file.uri() + ": " + e.getClass().getSimpleName());
    }
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

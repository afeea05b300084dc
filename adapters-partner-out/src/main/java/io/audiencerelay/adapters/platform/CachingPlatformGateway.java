package io.audiencerelay.adapters.platform;

import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperty;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The SDK's instance-context cache: per feed (and per feed destination for credentials), kept 10
 * minutes plus up to 10 % jitter so rebuilds do not come in bursts; concurrent requests for a cold
 * entry share one load; a failed load is not cached; segment creation reloads. Unlike the SDK, a
 * failing old load never evicts a newer entry.
 */
public final class CachingPlatformGateway implements PlatformGateway {
  public static final Duration BASE_TTL = Duration.ofMinutes(10);

  /**
   * Entries kept per cache at most: ids come from requests, so anyone reaching the relay could
   * otherwise grow it without end (a 404 for an unknown feed destination is cached too).
   */
  static final int MAX_ENTRIES = 10_000;

  /**
   * Data files kept at most: each may be up to {@link DataFiles#MAX_BYTES}, and a relay serves a
   * handful of them.
   */
  static final int MAX_DATA_FILES = 64;

  private record Entry<T>(CompletableFuture<T> value, Instant expiresAt) {}

  private final PlatformGateway delegate;
  private final Clock clock;
  private final DoubleSupplier random;
  private final ConcurrentMap<FeedId, Entry<Feed>> feeds = new ConcurrentHashMap<>();
  private final ConcurrentMap<FeedDestinationId, Entry<Optional<DestinationCredentials>>>
      credentials = new ConcurrentHashMap<>();
  // Keyed by uri and last_modified: the platform changes last_modified when the file changes.
  private final ConcurrentMap<FeedProperty.DataFile, Entry<DataFileSettings>> dataFiles =
      new ConcurrentHashMap<>();

  /**
   * @param random uniform in [0, 1), drawn for each entry's jitter
   */
  public CachingPlatformGateway(PlatformGateway delegate, Clock clock, DoubleSupplier random) {
    this.delegate = delegate;
    this.clock = clock;
    this.random = random;
  }

  @Override
  public Feed feed(FeedId feedId) {
    return cached(feeds, feedId, () -> delegate.feed(feedId), false, MAX_ENTRIES);
  }

  @Override
  public Feed reloadFeed(FeedId feedId) {
    return cached(feeds, feedId, () -> delegate.reloadFeed(feedId), true, MAX_ENTRIES);
  }

  @Override
  public Optional<DestinationCredentials> credentials(FeedDestinationId destinationId) {
    return cached(
        credentials, destinationId, () -> delegate.credentials(destinationId), false, MAX_ENTRIES);
  }

  /** Never cached, as in the SDK: a credentials test must see what the platform holds now. */
  @Override
  public Optional<DestinationCredentials> reloadCredentials(FeedDestinationId destinationId) {
    return delegate.reloadCredentials(destinationId);
  }

  @Override
  public void saveCredentials(FeedDestinationId destinationId, DestinationCredentials saved) {
    delegate.saveCredentials(destinationId, saved);
    credentials.remove(destinationId);
  }

  @Override
  public DataFileSettings dataFileSettings(FeedProperty.DataFile file) {
    return cached(dataFiles, file, () -> delegate.dataFileSettings(file), false, MAX_DATA_FILES);
  }

  Duration ttl() {
    double jitter = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
    return Duration.ofMillis((long) (BASE_TTL.toMillis() * (1 + 0.1 * jitter)));
  }

  private <K, T> T cached(
      ConcurrentMap<K, Entry<T>> cache, K key, Supplier<T> load, boolean reload, int maxEntries) {
    Instant now = clock.instant();
    Entry<T> current = cache.get(key);
    if (!reload && current != null && now.isBefore(current.expiresAt())) {
      return join(current.value());
    }
    CompletableFuture<T> mine = new CompletableFuture<>();
    Entry<T> fresh = new Entry<>(mine, now.plus(ttl()));
    Entry<T> winner =
        cache.compute(
            key,
            (k, existing) ->
                !reload
                        && existing != null
                        && existing != current
                        && now.isBefore(existing.expiresAt())
                    ? existing
                    : fresh);
    if (winner != fresh) {
      return join(winner.value()); // another request is already loading it
    }
    if (cache.size() > maxEntries) {
      trim(cache, now, maxEntries);
    }
    try {
      T value = load.get();
      mine.complete(value);
      return value;
    } catch (RuntimeException e) {
      cache.remove(key, fresh); // only our own entry: a newer load stays
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Drops expired entries, then the ones closest to expiry until a tenth of the room is free: a
   * full cache costs one pass now and then, not one per request.
   */
  private static <K, T> void trim(ConcurrentMap<K, Entry<T>> cache, Instant now, int maxEntries) {
    cache.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
    int excess = cache.size() - maxEntries * 9 / 10;
    if (excess > 0) {
      cache.entrySet().stream()
          .sorted(java.util.Comparator.comparing(e -> e.getValue().expiresAt()))
          .limit(excess)
          .map(java.util.Map.Entry::getKey)
          .toList()
          .forEach(cache::remove);
    }
  }

  /** How many entries the caches hold, for tests of the bound. */
  int size() {
    return feeds.size() + credentials.size() + dataFiles.size();
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new PlatformUnavailableException("instance context load failed", e.getCause());
    }
  }
}

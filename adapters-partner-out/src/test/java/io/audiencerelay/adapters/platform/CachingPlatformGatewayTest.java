package io.audiencerelay.adapters.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.application.contract.PlatformGatewayContract;
import io.audiencerelay.application.fakes.FakePlatformGateway;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformGateway.DataFileSettings;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingPlatformGatewayTest extends PlatformGatewayContract {
  final FakePlatformGateway platform = new FakePlatformGateway();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  volatile double jitter = 0.0;
  final CachingPlatformGateway cache = new CachingPlatformGateway(platform, clock, () -> jitter);

  static final FeedProperty.DataFile SETTINGS =
      new FeedProperty.DataFile("mics://data_file/tenants/1185/settings.json", 1717000000000L);

  {
    platform.feeds.put(FEED, new FeedProperties(PROPERTIES));
    platform.dataFiles.put(SETTINGS.uri(), SETTINGS_FILE_READ);
  }

  @Override
  protected PlatformGateway gateway() {
    return cache;
  }

  @Override
  protected FeedProperty.DataFile settingsFile() {
    return SETTINGS;
  }

  @Override
  protected FeedProperty.DataFile missingFile() {
    return new FeedProperty.DataFile("mics://data_file/none.json", null);
  }

  @Test
  void aDataFileIsKeptUntilItsLastModifiedChanges() {
    cache.dataFileSettings(SETTINGS);
    cache.dataFileSettings(SETTINGS);
    assertThat(platform.calls).containsExactly("data file " + SETTINGS.uri());

    platform.dataFiles.put(SETTINGS.uri(), new DataFileSettings.Read(Map.of("a", "changed")));
    var changed = new FeedProperty.DataFile(SETTINGS.uri(), SETTINGS.lastModified() + 1);

    assertThat(cache.dataFileSettings(changed))
        .isEqualTo(new DataFileSettings.Read(Map.of("a", "changed")));
    assertThat(platform.calls).hasSize(2);
  }

  @Test
  void dataFilesKeptAreBounded() {
    for (int i = 0; i < 3 * CachingPlatformGateway.MAX_DATA_FILES; i++) {
      cache.dataFileSettings(new FeedProperty.DataFile("mics://data_file/f" + i, (long) i));
    }
    assertThat(cache.size()).isLessThanOrEqualTo(CachingPlatformGateway.MAX_DATA_FILES + 1);
  }

  @Test
  void idsNamedByRequestsCannotGrowTheCacheWithoutEnd() {
    for (int i = 0; i < 3 * CachingPlatformGateway.MAX_ENTRIES; i++) {
      cache.credentials(new FeedDestinationId("unknown-" + i)); // each a cached "none"
      cache.feed(new FeedId("feed-" + i));
    }

    assertThat(cache.size()).isLessThanOrEqualTo(2 * CachingPlatformGateway.MAX_ENTRIES + 2);
    // The newest are still served from the cache.
    int calls = platform.calls.size();
    cache.feed(new FeedId("feed-" + (3 * CachingPlatformGateway.MAX_ENTRIES - 1)));
    assertThat(platform.calls).hasSize(calls);
  }

  @Test
  void aFeedIsReadOnceThenServedFromTheCacheUntilItsTtl() {
    cache.feed(FEED);
    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    cache.feed(FEED);
    assertThat(platform.calls).containsExactly("feed 6921");

    clock.advance(Duration.ofMillis(1));
    cache.feed(FEED);
    assertThat(platform.calls).containsExactly("feed 6921", "feed 6921");
  }

  @Test
  void theTtlIsTenMinutesPlusUpToTenPercentJitter() {
    jitter = 0.999;
    cache.feed(FEED);
    clock.advance(Duration.ofMinutes(10).plusSeconds(59));
    cache.feed(FEED);
    assertThat(platform.calls).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    cache.feed(FEED);
    assertThat(platform.calls).hasSize(2);

    jitter = 0.5;
    assertThat(cache.ttl()).isEqualTo(Duration.ofMinutes(10).plusSeconds(30));
  }

  @Test
  void aFailedLoadIsNotCached() {
    platform.failing = true;
    assertThatThrownBy(() -> cache.feed(FEED)).isInstanceOf(PlatformUnavailableException.class);

    platform.failing = false;
    assertThat(cache.feed(FEED).properties().get("destination")).contains("demo");
    assertThat(platform.calls).containsExactly("feed 6921", "feed 6921");
  }

  @Test
  void reloadAlwaysReadsAndRefreshesTheEntry() {
    cache.feed(FEED);
    cache.reloadFeed(FEED);
    cache.feed(FEED);

    assertThat(platform.calls).containsExactly("feed 6921", "reload 6921");
  }

  @Test
  void credentialsAreCachedEvenWhenAbsentButNeverForATest() {
    var destination = new FeedDestinationId("318");
    assertThat(cache.credentials(destination)).isEmpty();
    platform.credentials.put(destination, DestinationCredentials.oauth2RefreshToken("rt"));
    assertThat(cache.credentials(destination)).isEmpty();

    assertThat(cache.reloadCredentials(destination))
        .contains(DestinationCredentials.oauth2RefreshToken("rt"));
    assertThat(platform.calls).containsExactly("credentials 318", "reload credentials 318");
  }

  @Test
  void concurrentRequestsForAColdFeedShareOneLoad() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    PlatformGateway slow =
        new PlatformGateway() {
          @Override
          public java.util.Optional<DestinationCredentials> credentials(
              FeedDestinationId destinationId) {
            return java.util.Optional.empty();
          }

          @Override
          public void saveCredentials(
              FeedDestinationId destinationId, DestinationCredentials saved) {}

          @Override
          public DataFileSettings dataFileSettings(FeedProperty.DataFile file) {
            throw new UnsupportedOperationException("not read in this test");
          }

          @Override
          public Feed feed(FeedId feedId) {
            loads.incrementAndGet();
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new Feed(feedId, null, FeedProperties.none());
          }
        };
    var shared = new CachingPlatformGateway(slow, clock, () -> 0.0);
    List<Future<Feed>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 5; i++) {
        results.add(pool.submit(() -> shared.feed(FEED)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (loads.get() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      release.countDown();
      for (Future<Feed> result : results) {
        assertThat(result.get(5, TimeUnit.SECONDS).id()).isEqualTo(FEED);
      }
    }
    assertThat(loads.get()).isEqualTo(1);
  }
}

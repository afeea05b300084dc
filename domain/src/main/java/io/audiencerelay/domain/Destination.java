package io.audiencerelay.domain;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A configured place updates go to: a partner type and its settings.
 *
 * @param type the partner type that serves it, for example {@code file}
 * @param settings the type's settings, flattened to text; values may be secrets, so they never
 *     print
 */
public record Destination(DestinationName name, String type, Map<String, String> settings) {
  public Destination {
    Require.present(name, "destination name");
    type = Require.nonBlank(type, "destinations." + name + ".type");
    settings = Map.copyOf(Require.present(settings, "settings"));
  }

  /**
   * The setting that makes a destination a batched feed ({@value #BATCHED}): the platform gathers
   * its updates into batches it posts to {@code batch_update}. The other value, the default, is
   * {@value #QUEUED}.
   */
  public static final String FEED_MODE = "feed_mode";

  public static final String BATCHED = "batched";
  public static final String QUEUED = "queued";

  /** Whether the platform batches this destination's updates itself (see {@link #FEED_MODE}). */
  public boolean batchedFeed() {
    return BATCHED.equals(settings.get(FEED_MODE));
  }

  public Optional<String> setting(String key) {
    return Optional.ofNullable(settings.get(key)).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** The same destination with one setting set, for example a freshly refreshed access token. */
  public Destination withSetting(String key, String value) {
    Map<String, String> changed = new TreeMap<>(settings);
    changed.put(Require.nonBlank(key, "key"), Require.nonBlank(value, key));
    return new Destination(name, type, changed);
  }

  /** The same destination with some settings replaced, for example by a feed's own values. */
  public Destination withSettings(Map<String, String> replaced) {
    if (Require.present(replaced, "settings").isEmpty()) {
      return this;
    }
    Map<String, String> changed = new TreeMap<>(settings);
    changed.putAll(replaced);
    return new Destination(name, type, changed);
  }

  /**
   * The name the partner audience of a segment gets: the setting {@value FeedSetting#AUDIENCE_NAME}
   * (where {@code {segment_id}} stands for the segment id) when set, else the segment's default
   * name.
   */
  public String audienceName(ExternalSegment segment) {
    return setting(FeedSetting.AUDIENCE_NAME)
        .map(name -> name.replace("{segment_id}", segment.segmentId().value()))
        .orElseGet(segment::defaultAudienceName);
  }

  /** Settings may hold secrets: only their keys are printed. */
  @Override
  public String toString() {
    return "Destination[name="
        + name
        + ", type="
        + type
        + ", settings="
        + new TreeMap<>(settings).keySet()
        + "]";
  }
}

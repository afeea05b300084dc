package io.audiencerelay.domain;

/**
 * A partner setting that a feed may set for itself through a plugin property of the same name,
 * overriding the destination's value for that feed only. Only plain settings are declared this way:
 * secrets come from the destination, the feed destination's credentials or OAuth, never from
 * properties that platform users can read.
 *
 * @param key the setting's key, which is also the feed property's technical name
 * @param required whether a feed needs a value when its destination has none
 * @param readAt when the partner reads it: a setting read only when the audience is created need
 *     not be looked up on every delivery
 * @param meaning what the setting is, for messages and the docs
 */
public record FeedSetting(String key, boolean required, ReadAt readAt, String meaning) {
  /** When a partner reads a feed setting. */
  public enum ReadAt {
    /** Only when the segment's partner audience is created. */
    AUDIENCE_CREATION,
    /** On every delivery, as well as at audience creation. */
    DELIVERY
  }

  /** The setting a partner reads for the audience's name, with {@code {segment_id}} filled in. */
  public static final String AUDIENCE_NAME = "audience_name";

  public FeedSetting {
    key = Require.nonBlank(key, "feed setting key");
    Require.present(readAt, "readAt");
    meaning = Require.nonBlank(meaning, "feed setting meaning");
  }

  /** The optional audience name most partners let a feed choose. */
  public static FeedSetting audienceName() {
    return new FeedSetting(
        AUDIENCE_NAME,
        false,
        ReadAt.AUDIENCE_CREATION,
        "the partner audience's name; {segment_id} stands for the segment id");
  }
}

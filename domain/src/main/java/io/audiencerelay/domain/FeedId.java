package io.audiencerelay.domain;

/** The platform's id of one audience feed (one plugin instance bound to one segment). */
public record FeedId(String value) {
  public FeedId {
    value = Require.id(value, "feed_id");
  }

  @Override
  public String toString() {
    return value;
  }
}

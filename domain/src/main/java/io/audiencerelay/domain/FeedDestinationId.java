package io.audiencerelay.domain;

/**
 * The platform's id of a feed destination, the holder of partner credentials on the platform side.
 */
public record FeedDestinationId(String value) {
  public FeedDestinationId {
    value = Require.id(value, "feed_destination_id");
  }

  @Override
  public String toString() {
    return value;
  }
}

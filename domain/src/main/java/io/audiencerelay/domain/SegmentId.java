package io.audiencerelay.domain;

/** The platform's id of an audience segment. */
public record SegmentId(String value) {
  public SegmentId {
    value = Require.id(value, "segment_id");
  }

  @Override
  public String toString() {
    return value;
  }
}

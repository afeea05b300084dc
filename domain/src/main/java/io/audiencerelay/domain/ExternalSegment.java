package io.audiencerelay.domain;

/**
 * One segment as a feed sees it: the unit that becomes one audience on a partner.
 *
 * @param datamartId the platform datamart, or null when the request did not carry it
 */
public record ExternalSegment(FeedId feedId, SegmentId segmentId, String datamartId) {
  public ExternalSegment {
    Require.present(feedId, "feed_id");
    Require.present(segmentId, "segment_id");
    datamartId = Require.optionalId(datamartId, "datamart_id");
  }

  public static ExternalSegment of(String feedId, String segmentId, String datamartId) {
    return new ExternalSegment(new FeedId(feedId), new SegmentId(segmentId), datamartId);
  }

  /** The stable name the relay gives the partner audience, so a retried creation finds it again. */
  public String defaultAudienceName() {
    return "mics_" + segmentId.value();
  }
}

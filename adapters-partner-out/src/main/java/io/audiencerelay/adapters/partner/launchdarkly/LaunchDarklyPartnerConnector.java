package io.audiencerelay.adapters.partner.launchdarkly;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * LaunchDarkly segments, in one of two documented ways. By default ({@code mode: rest_api}) the
 * customer's own REST API on big segments: the segment is found or created ({@code unbounded}),
 * then contexts are included or removed with {@code POST
 * /api/v2/segments/{project}/{environment}/{segment}/users}. With {@code mode: segment_targets}, a
 * synced-segment integration that the operator has registered with LaunchDarkly, under its own
 * integration key: never another vendor's. Built against LaunchDarkly's public documentation and
 * tested with MockWebServer.
 */
public final class LaunchDarklyPartnerConnector implements PartnerConnector {
  public static final String TYPE = "launchdarkly";
  static final String DEFAULT_BASE_URL = "https://app.launchdarkly.com";
  static final String API_VERSION = "20240415";
  static final String REST_API = "rest_api";
  static final String SEGMENT_TARGETS = "segment_targets";

  /** Not documented by LaunchDarkly for either endpoint: RudderStack's and Amplitude's size. */
  static final int DEFAULT_BATCH = 1_000;

  static final int MAX_BATCH_SETTING = 10_000;
  private static final Set<String> CONTEXT_KEYS =
      Set.of("USER_ACCOUNT", "USER_POINT", "USER_EMAIL");
  private static final Duration CONFLICT_WAIT = Duration.ofSeconds(1);

  /** LaunchDarkly answers 409 when the segment is being changed concurrently: worth another try. */
  static final PartnerHttp.ErrorTable ERRORS =
      (status, body, headers, delay) ->
          status == 409
              ? Optional.of(
                  new PartnerHttp.Answer.Retry(
                      delay.isZero() ? CONFLICT_WAIT : delay,
                      "LaunchDarkly answered 409 (conflict)"))
              : Optional.empty();

  private final BigSegments bigSegments;
  private final SegmentTargets segmentTargets;

  public LaunchDarklyPartnerConnector(PartnerHttp http, ObjectMapper json) {
    this.bigSegments = new BigSegments(http, json);
    this.segmentTargets = new SegmentTargets(http);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * A feed may choose the context kind, the segment key and the segment's name. Not {@code
   * context_key}: it decides which identifiers are kept when an update is accepted, before any
   * feed's settings are read.
   */
  @Override
  public List<FeedSetting> feedSettings(Destination destination) {
    return List.of(
        new FeedSetting(
            "context_kind",
            false,
            FeedSetting.ReadAt.DELIVERY,
            "the LaunchDarkly context kind the targets are, user by default"),
        new FeedSetting(
            "segment_key",
            false,
            FeedSetting.ReadAt.AUDIENCE_CREATION,
            "the segment key template, {segment_id} standing for the segment id"),
        FeedSetting.audienceName());
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> problems = new ArrayList<>();
    if (destination.setting("access_token").isEmpty()) {
      problems.add(
          "access_token is required (a LaunchDarkly access token that may create and update"
              + " segments)");
    }
    switch (mode(destination)) {
      case REST_API -> problems.addAll(BigSegments.problems(destination));
      case SEGMENT_TARGETS -> problems.addAll(SegmentTargets.problems(destination));
      default ->
          problems.add(
              "mode must be rest_api (the REST API on big segments, the default) or"
                  + " segment_targets (a synced-segment integration registered with LaunchDarkly),"
                  + " got '"
                  + destination.setting("mode").orElse("")
                  + "'");
    }
    String key = contextKeyType(destination);
    if (!CONTEXT_KEYS.contains(key)) {
      problems.add(
          "context_key must be one of USER_ACCOUNT, USER_POINT, USER_EMAIL, got '" + key + "'");
    }
    String size = destination.setting("batch_size").orElse(Integer.toString(DEFAULT_BATCH));
    if (!size.matches("\\d{1,5}")
        || Integer.parseInt(size) < 1
        || Integer.parseInt(size) > MAX_BATCH_SETTING) {
      problems.add(
          "batch_size must be a whole number from 1 to "
              + MAX_BATCH_SETTING
              + ", got '"
              + size
              + "'");
    }
    if (HttpUrl.parse(baseUrl(destination)) == null) {
      problems.add("base_url must be an http or https URL, got '" + baseUrl(destination) + "'");
    }
    return problems;
  }

  @Override
  public int maxBatchSize(Destination destination) {
    return destination.setting("batch_size").map(Integer::parseInt).orElse(DEFAULT_BATCH);
  }

  /**
   * Only the identifier chosen as the destination's context key is usable (a user account id by
   * default).
   */
  @Override
  public boolean accepts(Destination destination, UserIdentifier identifier) {
    return identifier.type().equals(contextKeyType(destination));
  }

  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    return mode(destination).equals(REST_API)
        ? bigSegments.findOrCreate(destination, segment)
        : SegmentTargets.cohort(segment);
  }

  @Override
  public AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    return mode(destination).equals(REST_API)
        ? bigSegments.check(destination, audience)
        : new AudienceOutcome.Ready(audience);
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    return mode(destination).equals(REST_API)
        ? bigSegments.deliver(destination, audience, batch)
        : segmentTargets.deliver(destination, audience, batch);
  }

  static String mode(Destination destination) {
    return destination.setting("mode").orElse(REST_API).toLowerCase(Locale.ROOT);
  }

  /** The value of the change's identifier of the context-key type, if it has one. */
  static Optional<String> contextKey(Destination destination, MembershipChange change) {
    String type = contextKeyType(destination);
    for (UserIdentifier identifier : change.identifiers()) {
      if (identifier.type().equals(type)) {
        return Optional.of(identifier.value());
      }
    }
    return Optional.empty();
  }

  static String contextKind(Destination destination) {
    return destination.setting("context_kind").orElse("user");
  }

  private static String contextKeyType(Destination destination) {
    return destination.setting("context_key").orElse("USER_ACCOUNT").toUpperCase(Locale.ROOT);
  }

  static String baseUrl(Destination destination) {
    return destination.setting("base_url").orElse(DEFAULT_BASE_URL);
  }

  /** A request to LaunchDarkly's API: the raw token, with no scheme word, and the API version. */
  static Request.Builder request(Destination destination, HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", destination.setting("access_token").orElseThrow())
        .header("LD-API-Version", API_VERSION);
  }
}

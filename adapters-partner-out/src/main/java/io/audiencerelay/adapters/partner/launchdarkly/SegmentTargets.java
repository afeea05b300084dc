package io.audiencerelay.adapters.partner.launchdarkly;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * {@code mode: segment_targets}: a synced-segment integration registered with LaunchDarkly by the
 * operator. LaunchDarkly's partner guide has a partner post to {@code /api/v2/segment-targets/{its
 * own integration key}}; the key is the operator's to give, so there is no default. The body is the
 * boolean-membership shape (one member per change, {@code value} true to include); LaunchDarkly
 * creates the synced segment on the first sync.
 */
final class SegmentTargets {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final JsonFactory FACTORY = new JsonFactory();

  private final PartnerHttp http;

  SegmentTargets(PartnerHttp http) {
    this.http = http;
  }

  static List<String> problems(Destination destination) {
    List<String> problems = new ArrayList<>();
    if (destination.setting("integration_key").isEmpty()) {
      problems.add(
          "integration_key is required with mode segment_targets (the directory name of your"
              + " integration, registered with LaunchDarkly; for your own account use the default"
              + " mode rest_api)");
    }
    if (destination.setting("environment_id").isEmpty()) {
      problems.add(
          "environment_id is required with mode segment_targets (the environment's client-side"
              + " ID)");
    }
    return problems;
  }

  /** The synced segment is created by the first sync; the cohort id is stable per segment. */
  static AudienceOutcome cohort(ExternalSegment segment) {
    String cohort = segment.defaultAudienceName();
    return new AudienceOutcome.Ready(new PartnerAudience(cohort, cohort));
  }

  DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    byte[] body = body(destination, audience, batch);
    if (body == null) {
      return DeliveryOutcome.ok(); // nothing in this batch carries the context key: nothing to send
    }
    HttpUrl url =
        HttpUrl.get(LaunchDarklyPartnerConnector.baseUrl(destination))
            .newBuilder()
            .addPathSegments("api/v2/segment-targets")
            .addPathSegment(destination.setting("integration_key").orElseThrow())
            .build();
    return http.send(
            LaunchDarklyPartnerConnector.request(destination, url)
                .post(RequestBody.create(body, JSON))
                .build(),
            LaunchDarklyPartnerConnector.ERRORS)
        .toDeliveryOutcome();
  }

  /** The request body, or null when no change has an identifier of the context-key type. */
  static byte[] body(Destination destination, PartnerAudience audience, MembershipBatch batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96 * batch.size() + 128);
    int members = 0;
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("environmentId", destination.setting("environment_id").orElseThrow());
      json.writeStringField("contextKind", LaunchDarklyPartnerConnector.contextKind(destination));
      json.writeArrayFieldStart("batch");
      for (MembershipChange change : batch.changes()) {
        Optional<String> key = LaunchDarklyPartnerConnector.contextKey(destination, change);
        if (key.isPresent()) {
          json.writeStartObject();
          json.writeStringField("userId", key.get());
          json.writeStringField("cohortId", audience.id());
          json.writeStringField("cohortName", audience.name());
          json.writeBooleanField("value", change.operation() == MembershipOperation.ADD);
          json.writeEndObject();
          members++;
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON write failed", e);
    }
    return members == 0 ? null : out.toByteArray();
  }
}

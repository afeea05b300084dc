package io.audiencerelay.adapters.partner.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.PartnerHttp.Answer;
import io.audiencerelay.application.port.out.AudienceFacts;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.PartnerAudience;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.RequestBody;

/**
 * The segment of a platform segment under the sponsored account: found by name through the
 * documented account finder or created, checked, and described, its state read from its {@code
 * LINKEDIN} destination.
 */
final class LinkedInSegments {
  /** Statuses in which a segment can be targeted (LinkedIn's FAQ); it takes users then. */
  static final Set<String> USABLE =
      Set.of("BUILDING", "PROCESSING", "UPDATING", "READY", "ARCHIVED");

  /** Statuses LinkedIn's FAQ excludes from campaigns: users sent there are wasted. */
  static final Set<String> UNUSABLE = Set.of("EXPIRED", "FAILED", "ERROR");

  /** Segments asked per page when looking a segment up by name, and pages at most. */
  static final int PAGE_SIZE = 100;

  static final int MAX_PAGES = 50;

  private final PartnerHttp http;
  private final ObjectMapper json;

  LinkedInSegments(PartnerHttp http, ObjectMapper json) {
    this.http = http;
    this.json = json;
  }

  /**
   * Finds the segment by name among the account's segments of the destination's source platform
   * (LinkedIn's documented finder, paged); creates it only when there is none.
   */
  AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = destination.audienceName(segment);
    for (int page = 0; page < MAX_PAGES; page++) {
      HttpUrl find =
          LinkedInApi.url(destination, "dmpSegments")
              .newBuilder()
              .addQueryParameter("q", "account")
              .addQueryParameter("account", LinkedInApi.account(destination))
              .addQueryParameter("sourcePlatform", LinkedInApi.sourcePlatform(destination))
              .addQueryParameter("start", Integer.toString(page * PAGE_SIZE))
              .addQueryParameter("count", Integer.toString(PAGE_SIZE))
              .build();
      Answer found =
          http.send(
              LinkedInApi.request(destination, find).get().build(), PartnerHttp.ErrorTable.NONE);
      if (!(found instanceof Answer.Ok ok)) {
        return found.toAudienceOutcome();
      }
      JsonNode body = LinkedInApi.parse(json, ok.body());
      for (JsonNode element : body.path("elements")) {
        String id = element.path("id").asText("");
        if (!id.isEmpty() && name.equals(element.path("name").asText())) {
          return readiness(new PartnerAudience(id, name), element);
        }
      }
      int returned = body.path("elements").size();
      long total = body.path("paging").path("total").asLong(-1);
      if (returned < PAGE_SIZE || (total >= 0 && (long) (page + 1) * PAGE_SIZE >= total)) {
        break;
      }
    }
    ObjectNode body = json.createObjectNode();
    body.put("name", name);
    body.put("description", "mediarithmics segment " + segment.segmentId() + " (audience-relay)");
    body.put("sourcePlatform", LinkedInApi.sourcePlatform(destination));
    body.put("account", LinkedInApi.account(destination));
    body.put("accessPolicy", "PRIVATE");
    body.put(
        "type", destination.setting("segment_type").orElse(LinkedInSettings.DEFAULT_SEGMENT_TYPE));
    body.putArray("destinations").addObject().put("destination", "LINKEDIN");
    Answer created =
        http.send(
            LinkedInApi.request(destination, LinkedInApi.url(destination, "dmpSegments"))
                .post(RequestBody.create(body.toString(), LinkedInApi.JSON))
                .build(),
            PartnerHttp.ErrorTable.NONE);
    if (!(created instanceof Answer.Ok done)) {
      return created.toAudienceOutcome();
    }
    String id = done.headers().get("x-restli-id");
    if (id == null) {
      id = done.headers().get("x-linkedin-id");
    }
    if (id == null) {
      id = LinkedInApi.parse(json, done.body()).path("id").asText(null);
    }
    if (id == null || id.isBlank()) {
      return new AudienceOutcome.Retry(
          Duration.ZERO, "LinkedIn created the segment but returned no id");
    }
    // LinkedIn asks for a pause before the first users of a new segment.
    return new AudienceOutcome.NotReadyYet(
        new PartnerAudience(id.strip(), name),
        "LinkedIn makes a new segment usable after a few seconds");
  }

  AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    Answer answer =
        http.send(
            LinkedInApi.request(
                    destination, LinkedInApi.url(destination, "dmpSegments", audience.id()))
                .get()
                .build(),
            PartnerHttp.ErrorTable.NONE);
    return switch (answer) {
      case Answer.Ok ok -> readiness(audience, LinkedInApi.parse(json, ok.body()));
      case Answer.Refused refused when refused.status() == 404 ->
          new AudienceOutcome.Missing("LinkedIn segment " + audience.id() + " no longer exists");
      default -> answer.toAudienceOutcome();
    };
  }

  /** LinkedIn's view of the segment: status, and its 7-day match counts and audience size. */
  PartnerAnswer<AudienceFacts> describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    if (audience.isEmpty()) {
      return PartnerAnswer.notOffered();
    }
    Answer answer =
        http.send(
            LinkedInApi.request(
                    destination, LinkedInApi.url(destination, "dmpSegments", audience.get().id()))
                .get()
                .build(),
            PartnerHttp.ErrorTable.NONE);
    if (!(answer instanceof Answer.Ok ok)) {
      return PartnerAnswer.unavailable("LinkedIn did not describe the segment: " + answer.reason());
    }
    JsonNode found = LinkedInApi.parse(json, ok.body());
    JsonNode onLinkedIn = linkedInDestination(found);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("segment_id", audience.get().id());
    data.put("status", onLinkedIn.path("status").asText("not reported yet"));
    // audienceSize and matchedCount belong to the LINKEDIN destination; inputCount to the segment.
    for (String count : List.of("audienceSize", "matchedCount")) {
      if (onLinkedIn.path(count).canConvertToLong()) {
        data.put(count, onLinkedIn.path(count).asLong());
      }
    }
    JsonNode inputCount =
        found.path("inputCount").canConvertToLong()
            ? found.path("inputCount")
            : onLinkedIn.path("inputCount");
    if (inputCount.canConvertToLong()) {
      data.put("inputCount", inputCount.asLong());
    }
    long matched = onLinkedIn.path("matchedCount").asLong(0);
    long input = inputCount.asLong(0);
    if (input > 0) {
      // LinkedIn counts both over the last 7 days only.
      data.put("match_rate_7_days", Math.round(1000.0 * matched / input) / 10.0);
    }
    return PartnerAnswer.given(new AudienceFacts("LinkedIn DMP segment", data));
  }

  /**
   * The segment's state as its LINKEDIN destination reports it (LinkedIn's FAQ: "check the status
   * value from destinations"); no status yet is "not ready", never "ready".
   */
  static AudienceOutcome readiness(PartnerAudience audience, JsonNode segment) {
    String status = linkedInDestination(segment).path("status").asText("").toUpperCase(Locale.ROOT);
    if (USABLE.contains(status)) {
      return new AudienceOutcome.Ready(audience);
    }
    if (UNUSABLE.contains(status)) {
      return new AudienceOutcome.Rejected(
          "LinkedIn segment " + audience.id() + " is " + status + " and takes no users");
    }
    return new AudienceOutcome.NotReadyYet(
        audience,
        status.isEmpty()
            ? "LinkedIn reports no status for segment " + audience.id() + " yet"
            : "LinkedIn reports segment " + audience.id() + " as " + status + ", not yet usable");
  }

  /** The segment's {@code LINKEDIN} entry of {@code destinations}, or a missing node. */
  static JsonNode linkedInDestination(JsonNode segment) {
    for (JsonNode destination : segment.path("destinations")) {
      if ("LINKEDIN".equals(destination.path("destination").asText())) {
        return destination;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}

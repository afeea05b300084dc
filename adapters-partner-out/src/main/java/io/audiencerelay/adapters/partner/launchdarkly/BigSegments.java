package io.audiencerelay.adapters.partner.launchdarkly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.PartnerHttp.Answer;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * {@code mode: rest_api}: the customer's own LaunchDarkly account, through the documented REST API
 * on big segments. The segment's key comes from {@code segment_key} (default {@code
 * mics-{segment_id}}); it is looked up, and created as a big segment ({@code unbounded}) of the
 * destination's context kind when it does not exist. Memberships go as {@code {"included": {"add":
 * [...], "remove": [...]}}} to the segment's {@code /users} (context kind {@code user}) or {@code
 * /contexts} (another kind).
 */
final class BigSegments {
  static final String DEFAULT_SEGMENT_KEY = "mics-{segment_id}";

  /**
   * LaunchDarkly's rule for keys: letters, digits, '.', '_' and '-', starting with a letter or
   * digit.
   */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private static final MediaType JSON = MediaType.get("application/json");

  private final PartnerHttp http;
  private final ObjectMapper json;

  BigSegments(PartnerHttp http, ObjectMapper json) {
    this.http = http;
    this.json = json;
  }

  static List<String> problems(Destination destination) {
    List<String> problems = new ArrayList<>();
    for (String key : List.of("project_key", "environment_key")) {
      Optional<String> value = destination.setting(key);
      if (value.isEmpty()) {
        problems.add(
            key
                + " is required (the LaunchDarkly "
                + key.replace("_key", "")
                + " the segments live in; or mode segment_targets for a registered integration)");
      } else if (!KEY.matcher(value.get()).matches()) {
        problems.add(key + " must be a LaunchDarkly key, got '" + value.get() + "'");
      }
    }
    String template = destination.setting("segment_key").orElse(DEFAULT_SEGMENT_KEY);
    if (!template.contains("{segment_id}")) {
      problems.add(
          "segment_key must contain {segment_id}, or every segment would share one LaunchDarkly"
              + " segment, got '"
              + template
              + "'");
    } else if (!KEY.matcher(render(template, "6921", "84213")).matches()) {
      problems.add(
          "segment_key must render a LaunchDarkly key (letters, digits, '.', '_', '-'), got '"
              + template
              + "'");
    }
    return problems;
  }

  static String segmentKey(Destination destination, ExternalSegment segment) {
    return render(
        destination.setting("segment_key").orElse(DEFAULT_SEGMENT_KEY),
        segment.feedId().value(),
        segment.segmentId().value());
  }

  private static String render(String template, String feedId, String segmentId) {
    return template.replace("{segment_id}", segmentId).replace("{feed_id}", feedId);
  }

  /** The segment, found by its key or created as a big segment; a second creation finds it. */
  AudienceOutcome findOrCreate(Destination destination, ExternalSegment segment) {
    String key = segmentKey(destination, segment);
    PartnerAudience audience = new PartnerAudience(key, destination.audienceName(segment));
    AudienceOutcome found = check(destination, audience);
    if (!(found instanceof AudienceOutcome.Missing)) {
      return found;
    }
    ObjectNode body = json.createObjectNode();
    body.put("name", destination.audienceName(segment));
    body.put("key", key);
    body.put(
        "description",
        "mediarithmics segment " + segment.segmentId() + ", synced by audience-relay");
    body.putArray("tags").add("audience-relay");
    body.put("unbounded", true);
    body.put("unboundedContextKind", LaunchDarklyPartnerConnector.contextKind(destination));
    Answer created =
        http.send(
            LaunchDarklyPartnerConnector.request(destination, environment(destination).build())
                .post(RequestBody.create(body.toString(), JSON))
                .build(),
            PartnerHttp.ErrorTable.NONE);
    return switch (created) {
      case Answer.Ok ok -> new AudienceOutcome.Ready(audience);
      // Another relay created it between the lookup and now: it is there.
      case Answer.Refused refused when refused.status() == 409 -> check(destination, audience);
      default -> created.toAudienceOutcome();
    };
  }

  /** The segment exists as a big segment of the destination's context kind, or is missing. */
  AudienceOutcome check(Destination destination, PartnerAudience audience) {
    Answer answer =
        http.send(
            LaunchDarklyPartnerConnector.request(
                    destination, environment(destination).addPathSegment(audience.id()).build())
                .get()
                .build(),
            PartnerHttp.ErrorTable.NONE);
    return switch (answer) {
      case Answer.Ok ok -> bigSegment(destination, audience, parse(ok.body()));
      case Answer.Refused refused when refused.status() == 404 ->
          new AudienceOutcome.Missing(
              "LaunchDarkly has no segment '"
                  + audience.id()
                  + "' in "
                  + destination.setting("project_key").orElseThrow()
                  + "/"
                  + destination.setting("environment_key").orElseThrow());
      default -> answer.toAudienceOutcome();
    };
  }

  private static AudienceOutcome bigSegment(
      Destination destination, PartnerAudience audience, JsonNode segment) {
    if (!segment.path("unbounded").asBoolean(false)) {
      return new AudienceOutcome.Rejected(
          "LaunchDarkly segment '"
              + audience.id()
              + "' is a standard segment; big segment targets cannot be updated on it (choose"
              + " another segment_key)");
    }
    String kind = segment.path("unboundedContextKind").asText("");
    String wanted = LaunchDarklyPartnerConnector.contextKind(destination);
    if (!kind.isEmpty() && !kind.equals(wanted)) {
      return new AudienceOutcome.Rejected(
          "LaunchDarkly segment '"
              + audience.id()
              + "' targets context kind '"
              + kind
              + "', not the destination's '"
              + wanted
              + "'");
    }
    return new AudienceOutcome.Ready(audience);
  }

  /**
   * One call with the batch's includes and removals. A segment deleted in LaunchDarkly (404) is
   * created again and the call sent once more: its key is the same.
   */
  DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    ObjectNode body = json.createObjectNode();
    ObjectNode included = body.putObject("included");
    ArrayNode add = json.createArrayNode();
    ArrayNode remove = json.createArrayNode();
    for (MembershipChange change : batch.changes()) {
      LaunchDarklyPartnerConnector.contextKey(destination, change)
          .ifPresent(
              key -> (change.operation() == MembershipOperation.ADD ? add : remove).add(key));
    }
    if (add.isEmpty() && remove.isEmpty()) {
      return DeliveryOutcome.ok(); // nothing in this batch carries the context key: nothing to send
    }
    if (!add.isEmpty()) {
      included.set("add", add);
    }
    if (!remove.isEmpty()) {
      included.set("remove", remove);
    }
    Answer answer = send(destination, audience, body);
    if (answer instanceof Answer.Refused refused && refused.status() == 404) {
      AudienceOutcome again = findOrCreate(destination, batch.segment());
      if (!(again instanceof AudienceOutcome.Ready)) {
        return new DeliveryOutcome.Retry(
            Duration.ZERO,
            "LaunchDarkly lost segment '" + audience.id() + "' and it could not be created again");
      }
      answer = send(destination, audience, body);
    }
    return answer.toDeliveryOutcome();
  }

  private Answer send(Destination destination, PartnerAudience audience, ObjectNode body) {
    String targets =
        LaunchDarklyPartnerConnector.contextKind(destination).equals("user") ? "users" : "contexts";
    HttpUrl url =
        environment(destination).addPathSegment(audience.id()).addPathSegment(targets).build();
    return http.send(
        LaunchDarklyPartnerConnector.request(destination, url)
            .post(RequestBody.create(body.toString(), JSON))
            .build(),
        LaunchDarklyPartnerConnector.ERRORS);
  }

  /** {@code {base}/api/v2/segments/{project}/{environment}}. */
  private static HttpUrl.Builder environment(Destination destination) {
    return HttpUrl.get(LaunchDarklyPartnerConnector.baseUrl(destination))
        .newBuilder()
        .addPathSegments("api/v2/segments")
        .addPathSegment(destination.setting("project_key").orElseThrow())
        .addPathSegment(destination.setting("environment_key").orElseThrow());
  }

  private JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}

package io.audiencerelay.adapters.partner.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The audience of a segment in the ad account: found by name or created (never a second one),
 * checked at connection (a permission problem is never taken for a deletion), and described for
 * support.
 */
final class MetaAudiences {
  private final PartnerHttp http;
  private final ObjectMapper json;

  MetaAudiences(PartnerHttp http, ObjectMapper json) {
    this.http = http;
    this.json = json;
  }

  /**
   * Finds the audience named after the segment in the ad account, or creates it: never a second
   * one.
   */
  AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = destination.audienceName(segment);
    switch (findInAccount(destination, audience -> name.equals(audience.path("name").asText()))) {
      case Lookup.Found found -> {
        return new AudienceOutcome.Ready(
            new PartnerAudience(found.audience().path("id").asText(), name));
      }
      case Lookup.Failed failed -> {
        return failed.answer().toAudienceOutcome();
      }
      case Lookup.NotFound notFound -> {
        // Not there: create it below.
      }
    }
    Request create =
        new Request.Builder()
            .url(
                MetaGraph.url(
                    destination, "act_" + MetaGraph.adAccount(destination), "customaudiences"))
            .post(
                new FormBody.Builder()
                    .add("name", name)
                    .add("subtype", "CUSTOM")
                    .add("customer_file_source", "USER_PROVIDED_ONLY")
                    .add(
                        "description",
                        "mediarithmics segment " + segment.segmentId() + " (audience-relay)")
                    .add("access_token", MetaGraph.token(destination))
                    .build())
            .build();
    Answer created = http.send(create, MetaErrors.table(json));
    if (created instanceof Answer.Ok ok) {
      String id = MetaGraph.parse(json, ok.body()).path("id").asText("");
      return id.isEmpty()
          ? new AudienceOutcome.Retry(Duration.ZERO, "Meta created the audience but returned no id")
          : new AudienceOutcome.Ready(new PartnerAudience(id, name));
    }
    return created.toAudienceOutcome();
  }

  /** What a search of the ad account's custom audiences found. */
  private sealed interface Lookup {
    record Found(JsonNode audience) implements Lookup {}

    record NotFound() implements Lookup {}

    record Failed(Answer answer) implements Lookup {}
  }

  /** Pages through the ad account's custom audiences (50 pages of 500 at most) for a match. */
  private Lookup findInAccount(Destination destination, Predicate<JsonNode> match) {
    HttpUrl next =
        MetaGraph.url(destination, "act_" + MetaGraph.adAccount(destination), "customaudiences")
            .newBuilder()
            .addQueryParameter("fields", "id,name")
            .addQueryParameter("limit", "500")
            .build();
    for (int page = 0; next != null && page < 50; page++) {
      Answer answer = http.send(MetaGraph.get(destination, next), MetaErrors.table(json));
      if (!(answer instanceof Answer.Ok ok)) {
        return new Lookup.Failed(answer);
      }
      JsonNode body = MetaGraph.parse(json, ok.body());
      for (JsonNode audience : body.path("data")) {
        if (match.test(audience)) {
          return new Lookup.Found(audience);
        }
      }
      next = MetaGraph.sameHost(destination, body.path("paging").path("next").asText(null));
    }
    return new Lookup.NotFound();
  }

  /**
   * The audience is still there and takes users. Meta answers 100/33 both for a deleted audience
   * and for a token that may not see it: the ad account's list decides, so a permission problem is
   * reported as one and never taken for a deletion.
   */
  AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    HttpUrl url =
        MetaGraph.url(destination, audience.id())
            .newBuilder()
            .addQueryParameter("fields", "id,name,operation_status")
            .build();
    Answer answer = http.send(MetaGraph.get(destination, url), MetaErrors.table(json));
    if (answer instanceof Answer.Ok ok) {
      JsonNode status = MetaGraph.parse(json, ok.body()).path("operation_status");
      return status.path("code").asInt(-1) == 471
          ? new AudienceOutcome.Rejected(
              "Meta flagged audience "
                  + audience.id()
                  + " (operation_status 471): resolve its restrictions in Audience Manager")
          : new AudienceOutcome.Ready(audience);
    }
    if (!(answer instanceof Answer.Refused refused
        && refused.reason().contains(MetaErrors.AMBIGUOUS))) {
      return answer.toAudienceOutcome();
    }
    return switch (findInAccount(
        destination, listed -> audience.id().equals(listed.path("id").asText()))) {
      case Lookup.NotFound notFound ->
          new AudienceOutcome.Missing(
              "Meta audience "
                  + audience.id()
                  + " is no longer in ad account act_"
                  + MetaGraph.adAccount(destination));
      case Lookup.Found found ->
          new AudienceOutcome.Rejected(
              "Meta lists audience "
                  + audience.id()
                  + " in the ad account but will not show it to this token: "
                  + refused.reason());
      case Lookup.Failed failed ->
          failed.answer() instanceof Answer.Retry retry
              ? new AudienceOutcome.Retry(retry.after(), retry.reason())
              : new AudienceOutcome.Rejected(
                  "Meta would not list the ad account's audiences either, so the token may not"
                      + " reach ad account act_"
                      + MetaGraph.adAccount(destination)
                      + ": "
                      + failed.answer().reason());
    };
  }

  /** Meta's view of the audience: its approximate size and its operation and delivery status. */
  PartnerAnswer<AudienceFacts> describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    if (audience.isEmpty()) {
      return PartnerAnswer.notOffered();
    }
    HttpUrl url =
        MetaGraph.url(destination, audience.get().id())
            .newBuilder()
            .addQueryParameter(
                "fields",
                "id,name,approximate_count_lower_bound,approximate_count_upper_bound,"
                    + "operation_status,delivery_status")
            .build();
    Answer answer = http.send(MetaGraph.get(destination, url), MetaErrors.table(json));
    if (!(answer instanceof Answer.Ok ok)) {
      return PartnerAnswer.unavailable("Meta did not describe the audience: " + answer.reason());
    }
    JsonNode found = MetaGraph.parse(json, ok.body());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("audience_id", audience.get().id());
    for (String bound : List.of("approximate_count_lower_bound", "approximate_count_upper_bound")) {
      if (found.path(bound).canConvertToLong()) {
        data.put(bound, found.path(bound).asLong());
      }
    }
    for (String status : List.of("operation_status", "delivery_status")) {
      JsonNode node = found.path(status);
      if (node.isObject()) {
        data.put(
            status,
            node.path("code").asInt(-1) + " " + node.path("description").asText("").strip());
      }
    }
    return PartnerAnswer.given(new AudienceFacts("Meta custom audience", data));
  }
}

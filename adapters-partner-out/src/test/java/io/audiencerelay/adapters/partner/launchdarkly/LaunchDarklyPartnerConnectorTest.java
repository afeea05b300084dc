package io.audiencerelay.adapters.partner.launchdarkly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.adapters.partner.client.HttpPartnerConnectorContract;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.RetryDelays;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Against a fake of LaunchDarkly's REST API on big segments (project {@code web}, environment
 * {@code production}), answering as the API reference shows: a segment representation, 404 for an
 * unknown segment, 201 on creation, 409 for a key already taken, and 204 for target updates.
 */
class LaunchDarklyPartnerConnectorTest extends HttpPartnerConnectorContract {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ENVIRONMENT = "/api/v2/segments/web/production";
  static final Set<String> CREATE_FIELDS =
      Set.of("name", "key", "description", "tags", "unbounded", "unboundedContextKind");

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  final LaunchDarklyPartnerConnector connector =
      new LaunchDarklyPartnerConnector(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(clock), "launchdarkly"), MAPPER);

  /** The environment's segments by key, as LaunchDarkly represents them. */
  final Map<String, ObjectNode> segments = new ConcurrentHashMap<>();

  @Override
  protected PartnerConnector connector() {
    return connector;
  }

  /** The contract's fixtures are e-mail hashes, so this destination keys contexts by e-mail. */
  @Override
  protected Destination destination() {
    return DomainFixtures.destination(
        "flags",
        "launchdarkly",
        Map.of(
            "access_token", "api-0000-secret",
            "project_key", "web",
            "environment_key", "production",
            "context_key", "USER_EMAIL",
            "base_url", partner.url("/").toString()));
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    String auth = request.getHeaders().get("Authorization");
    if (auth == null || auth.startsWith("Bearer ")) {
      return error(401, "unauthorized", "Invalid access token");
    }
    String path = request.getUrl().encodedPath();
    if (path.startsWith("/api/v2/segment-targets/")) {
      return new MockResponse.Builder().code(204).build();
    }
    if (!path.startsWith(ENVIRONMENT)) {
      return error(404, "not_found", "Unknown project or environment");
    }
    String[] rest = path.substring(ENVIRONMENT.length()).split("/");
    if (rest.length <= 1 && request.getMethod().equals("POST")) {
      return create(json(request.getBody().utf8()));
    }
    ObjectNode segment = segments.get(rest[1]);
    if (segment == null) {
      return error(404, "not_found", "Unknown segment");
    }
    if (rest.length == 2) {
      return json(200, segment.toString());
    }
    return targets(segment, rest[2], json(request.getBody().utf8()));
  }

  private MockResponse create(JsonNode body) {
    List<String> fields = new ArrayList<>();
    body.fieldNames().forEachRemaining(fields::add);
    if (!CREATE_FIELDS.containsAll(fields)
        || !body.path("name").isTextual()
        || !body.path("key").asText().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      return error(400, "invalid_request", "Invalid segment body");
    }
    String key = body.get("key").asText();
    if (segments.containsKey(key)) {
      return error(409, "conflict", "A segment with that key already exists");
    }
    ObjectNode segment = (ObjectNode) body.deepCopy();
    segment.put("creationDate", 1654104600000L);
    segment.put("lastModifiedDate", 1654104600000L);
    segment.put("version", 1);
    segment.put("deleted", false);
    segment.put("generation", 1);
    segment.putArray("included");
    segment.putArray("excluded");
    segment.putArray("rules");
    segments.put(key, segment);
    return json(201, segment.toString());
  }

  /** The big-segment targets update: only included/excluded with add/remove string lists. */
  private static MockResponse targets(ObjectNode segment, String edge, JsonNode body) {
    String kind = segment.path("unboundedContextKind").asText("user");
    if (!segment.path("unbounded").asBoolean(false)) {
      return error(400, "invalid_request", "This operation does not support standard segments");
    }
    if (!edge.equals(kind.equals("user") ? "users" : "contexts")) {
      return error(400, "invalid_request", "Wrong targets edge for context kind " + kind);
    }
    for (var field : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
      if (!Set.of("included", "excluded").contains(field.getKey())) {
        return error(400, "invalid_request", "Unknown field " + field.getKey());
      }
      for (var list : (Iterable<Map.Entry<String, JsonNode>>) field.getValue()::fields) {
        if (!Set.of("add", "remove").contains(list.getKey()) || !list.getValue().isArray()) {
          return error(400, "invalid_request", "Unknown field " + list.getKey());
        }
        for (JsonNode key : list.getValue()) {
          if (!key.isTextual()) {
            return error(400, "invalid_request", "Context keys are strings");
          }
        }
      }
    }
    return new MockResponse.Builder().code(204).build();
  }

  /** LaunchDarkly's rate-limit answer: 429 with the window's end as epoch milliseconds. */
  @Override
  protected MockResponse throttled(Duration wait) {
    return new MockResponse.Builder()
        .code(429)
        .setHeader("X-Ratelimit-Reset", clock.millis() + wait.toMillis())
        .body(
            "{\"code\":\"rate_limited\",\"message\":\"You've exceeded the API rate limit. Try again"
                + " later.\"}")
        .build();
  }

  @Override
  protected List<MembershipChange> changesIn(RecordedRequest request, PartnerAudience audience) {
    List<MembershipChange> changes = new ArrayList<>();
    if (!request.getUrl().encodedPath().equals(ENVIRONMENT + "/" + audience.id() + "/users")) {
      return changes;
    }
    JsonNode included = json(request.getBody().utf8()).path("included");
    for (String list : List.of("add", "remove")) {
      for (JsonNode key : included.path(list)) {
        changes.add(
            new MembershipChange(
                DomainFixtures.SEGMENT,
                list.equals("add") ? MembershipOperation.ADD : MembershipOperation.REMOVE,
                List.of(new UserIdentifier.UserEmail(key.asText(), null)),
                DomainFixtures.T0));
      }
    }
    return changes;
  }

  @Test
  void theSegmentIsCreatedAsABigSegmentOnceAndFoundAfterwards() {
    var first = connector.createAudience(destination(), DomainFixtures.SEGMENT);
    var second = connector.createAudience(destination(), DomainFixtures.SEGMENT);

    assertThat(first)
        .isEqualTo(second)
        .isEqualTo(new AudienceOutcome.Ready(new PartnerAudience("mics-84213", "mics_84213")));
    List<RecordedRequest> creations =
        received.stream().filter(r -> r.getMethod().equals("POST")).toList();
    assertThat(creations).hasSize(1);
    assertThat(creations.getFirst().getUrl().encodedPath()).isEqualTo(ENVIRONMENT);
    assertThat(json(creations.getFirst().getBody().utf8()))
        .isEqualTo(
            json(
                """
                {"name":"mics_84213","key":"mics-84213",
                 "description":"mediarithmics segment 84213, synced by audience-relay",
                 "tags":["audience-relay"],"unbounded":true,"unboundedContextKind":"user"}
                """));
  }

  @Test
  void membershipsGoToTheBigSegmentsUsersWithTheRawTokenAndTheApiVersion() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch(
                "b",
                DomainFixtures.SEGMENT,
                List.of(DomainFixtures.add("jane"), DomainFixtures.remove("joe"))));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    RecordedRequest request = received.getLast();
    assertThat(request.getUrl().encodedPath()).isEqualTo(ENVIRONMENT + "/mics-84213/users");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("api-0000-secret");
    assertThat(request.getHeaders().get("LD-API-Version")).isEqualTo("20240415");
    assertThat(json(request.getBody().utf8()))
        .isEqualTo(json("{\"included\":{\"add\":[\"jane\"],\"remove\":[\"joe\"]}}"));
  }

  @Test
  void anotherContextKindUsesItsOwnBigSegmentAndTheContextsEdge() {
    Destination devices =
        destination()
            .withSetting("context_kind", "device")
            .withSetting("segment_key", "f{feed_id}-s{segment_id}");
    PartnerAudience audience =
        ((AudienceOutcome.Ready) connector.createAudience(devices, DomainFixtures.SEGMENT))
            .audience();

    var outcome =
        connector.deliver(
            devices,
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("d1"))));

    assertThat(audience.id()).isEqualTo("f6921-s84213");
    assertThat(segments.get("f6921-s84213").get("unboundedContextKind").asText())
        .isEqualTo("device");
    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    assertThat(received.getLast().getUrl().encodedPath())
        .isEqualTo(ENVIRONMENT + "/f6921-s84213/contexts");
  }

  @Test
  void aStandardSegmentUnderTheKeyIsNotTakenOver() {
    segments.put(
        "mics-84213",
        (ObjectNode) json("{\"key\":\"mics-84213\",\"name\":\"Beta\",\"unbounded\":false}"));

    var outcome = connector.createAudience(destination(), DomainFixtures.SEGMENT);

    assertThat(outcome).isInstanceOf(AudienceOutcome.Rejected.class);
    assertThat(((AudienceOutcome.Rejected) outcome).reason()).contains("standard segment");
    assertThat(received).noneMatch(r -> r.getMethod().equals("POST"));
  }

  @Test
  void aSegmentDeletedInLaunchDarklyIsCreatedAgainAndTheCallSentOnceMore() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    segments.clear();

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"))));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    assertThat(segments).containsKey("mics-84213");
    assertThat(connector.checkAudience(destination(), new PartnerAudience("gone", "n")))
        .isInstanceOf(AudienceOutcome.Missing.class);
  }

  @Test
  void onlyTheConfiguredContextKeyIsEligible() {
    Destination byAccount =
        DomainFixtures.destination(
            "flags",
            "launchdarkly",
            Map.of("access_token", "t", "project_key", "p", "environment_key", "e"));

    assertThat(connector.accepts(byAccount, new UserIdentifier.UserAccount("crm-1", "1"))).isTrue();
    assertThat(connector.accepts(byAccount, new UserIdentifier.UserPoint("u1"))).isFalse();
    assertThat(connector.accepts(destination(), DomainFixtures.email("h"))).isTrue();
  }

  @Test
  void aConflictIsRetried() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(new MockResponse.Builder().code(409).build());

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"))));

    assertThat(outcome)
        .isEqualTo(
            new DeliveryOutcome.Retry(
                Duration.ofSeconds(1), "LaunchDarkly answered 409 (conflict)"));
  }

  @Test
  void aRegisteredIntegrationSendsItsOwnKeyAndTheBooleanMembershipShape() {
    Destination integration =
        DomainFixtures.destination(
            "flags",
            "launchdarkly",
            Map.of(
                "mode", "segment_targets",
                "integration_key", "acme-audiences",
                "access_token", "api-0000-secret",
                "environment_id", "5f0c0ffee0000000000000a1",
                "context_key", "USER_EMAIL",
                "base_url", partner.url("/").toString()));
    PartnerAudience audience =
        ((AudienceOutcome.Ready) connector.createAudience(integration, DomainFixtures.SEGMENT))
            .audience();

    connector.deliver(
        integration,
        audience,
        new MembershipBatch(
            "b",
            DomainFixtures.SEGMENT,
            List.of(DomainFixtures.add("jane"), DomainFixtures.remove("joe"))));

    RecordedRequest request = received.getFirst();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/segment-targets/acme-audiences");
    assertThat(json(request.getBody().utf8()))
        .isEqualTo(
            json(
                """
                {"environmentId":"5f0c0ffee0000000000000a1","contextKind":"user","batch":[
                  {"userId":"jane","cohortId":"mics_84213","cohortName":"mics_84213","value":true},
                  {"userId":"joe","cohortId":"mics_84213","cohortName":"mics_84213","value":false}]}
                """));
  }

  @Test
  void settingsAreCheckedAndNoVendorsIntegrationKeyIsAssumed() {
    assertThat(
            connector.checkSettings(
                DomainFixtures.destination("f", "launchdarkly", Map.of("context_key", "phone"))))
        .containsExactly(
            "access_token is required (a LaunchDarkly access token that may create and update"
                + " segments)",
            "project_key is required (the LaunchDarkly project the segments live in; or mode"
                + " segment_targets for a registered integration)",
            "environment_key is required (the LaunchDarkly environment the segments live in; or"
                + " mode segment_targets for a registered integration)",
            "context_key must be one of USER_ACCOUNT, USER_POINT, USER_EMAIL, got 'PHONE'");
    assertThat(
            connector.checkSettings(
                DomainFixtures.destination(
                    "f",
                    "launchdarkly",
                    Map.of("mode", "segment_targets", "access_token", "t", "environment_id", "e"))))
        .singleElement()
        .asString()
        .startsWith("integration_key is required with mode segment_targets");
    assertThat(connector.checkSettings(destination().withSetting("segment_key", "all-users")))
        .singleElement()
        .asString()
        .startsWith("segment_key must contain {segment_id}");
    assertThat(
            connector.checkSettings(destination().withSetting("segment_key", "mics {segment_id}")))
        .singleElement()
        .asString()
        .startsWith("segment_key must render a LaunchDarkly key");
    assertThat(connector.checkSettings(destination().withSetting("mode", "sdk")))
        .singleElement()
        .asString()
        .startsWith("mode must be rest_api");
    assertThat(connector.maxBatchSize(destination())).isEqualTo(1_000);
    assertThat(connector.checkSettings(destination().withSetting("batch_size", "0")))
        .containsExactly("batch_size must be a whole number from 1 to 10000, got '0'");
  }

  private static MockResponse error(int status, String code, String message) {
    return json(status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.audiencerelay.adapters.http.in.synced;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.adapters.http.in.FakeUseCases;
import io.audiencerelay.adapters.http.in.HttpObserver;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.TestServer;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The twelve built-in presets with the reference fixtures, and the receiver's answers. */
class SyncedSegmentRoutesTest {
  static final String TOKEN = "api-synced-token";
  static final String HEAP_TEMPLATE =
      "{\"projectId\":\"{{projectKey}}\",\"environmentId\":\"{{environmentKey}}\",\"segmentId\":\"{{segmentKey}}\","
          + "\"segmentUrl\":\"{{segmentUrl}}\",{{#if errorMessage}}\"status\":\"failure\",\"error\":{\"message\":"
          + "\"{{{errorMessage}}}\",\"code\":{{statusCode}}}{{else}}\"status\":\"success\"{{/if}}}";

  final List<List<MembershipChange>> accepted = new CopyOnWriteArrayList<>();
  volatile UserSegmentUpdateResult answer = new UserSegmentUpdateResult.Accepted();
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  void start(List<SyncedSegmentSource> sources) {
    server =
        new TestServer(
            new FakeUseCases().asUseCases(),
            new LogLevels(),
            1 << 20,
            HttpObserver.NONE,
            Optional.empty(),
            sources,
            (destination, changes) -> {
              accepted.add(changes);
              return answer;
            });
  }

  static SyncedSegmentSource preset(String key, ResponseTemplate template) {
    return new SyncedSegmentSource(
        key,
        TOKEN,
        new DestinationName("flags"),
        SyncedSegmentPresets.parsers().get(key),
        template);
  }

  TestServer.Answer post(String key, String body, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri("/api/v2/segment-targets/" + key))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return server.send(request);
  }

  /**
   * Integration key, body, expected "+id" / "-id" per member in order, expected cohort, expected
   * context kind.
   */
  static List<Arguments> fixtures() {
    return List.of(
        Arguments.of(
            "amplitude",
            """
            {"environmentId":"5f0c0ffee0000000000000a1","batch":[
              {"userId":"u-1","cohortId":"amp-coh-42","cohortName":"Power users","cohortUrl":"https://app.amplitude.com/cohort/42","value":true},
              {"userId":"u-2","cohortId":"amp-coh-42","cohortName":"Power users","cohortUrl":"https://app.amplitude.com/cohort/42","value":false}]}
            """,
            List.of("+u-1", "-u-2"),
            "amp-coh-42",
            "USER"),
        Arguments.of(
            "segment-audiences",
            """
            {"environmentId":"5f0c0ffee0000000000000a1","contextKind":"user","batch":[
              {"userId":"seg-user-1","cohortId":"aud_2abc","cohortName":"Trial users","value":true},
              {"userId":"seg-user-2","cohortId":"aud_2abc","cohortName":"Trial users","value":false}]}
            """,
            List.of("+seg-user-1", "-seg-user-2"),
            "aud_2abc",
            "USER"),
        Arguments.of(
            "census-synced-segments",
            """
            {"environment_id":"5f0c0ffee0000000000000a1","context_kind":"account",
             "batch":[{"user_id":"acct-9","cohort_id":"census-17","cohort_name":"Enterprise accounts","value":true}]}
            """,
            List.of("+acct-9"),
            "census-17",
            "ACCOUNT"),
        Arguments.of(
            "hightouch",
            """
            {"environmentId":"5f0c0ffee0000000000000a1","cohortId":"ht-model-5","cohortName":"Churn risk",
             "contextKind":"user","action":"add",
             "members":[{"integration_distinct_id":"u-10"},{"integration_distinct_id":"u-11"}]}
            """,
            List.of("+u-10", "+u-11"),
            "ht-model-5",
            "USER"),
        Arguments.of(
            "rudderstack",
            """
            {"environmentId":"5f0c0ffee0000000000000a1","cohortId":"rs-aud-1","cohortName":"Newsletter readers",
             "listData":{"add":[{"id":"a@example.com"}],"remove":[{"id":"b@example.com"}]}}
            """,
            List.of("+a@example.com", "-b@example.com"),
            "rs-aud-1",
            "USER"),
        Arguments.of(
            "heap-inbound",
            """
            {"parameters":{"environment_id":"5f0c0ffee0000000000000a1"},
             "heap":{"data":{"segment":{"id":"heap-seg-3","name":"Activated"},"add":[{"id":"h-1"}],"remove":[{"id":"h-2"}]}}}
            """,
            List.of("+h-1", "-h-2"),
            "heap-seg-3",
            "USER"),
        Arguments.of(
            "fulcrum",
            """
            {"environmentId":"5f0c0ffee0000000000000a1","contextKind":"user","cohortId":"ful-8",
             "cohortName":"Expansion ready","cohortUrl":"https://app.getfulcrum.io/s/8",
             "included":{"add":[{"id":"f-1"}],"remove":[{"id":"f-2"}]}}
            """,
            List.of("+f-1", "-f-2"),
            "ful-8",
            "USER"),
        Arguments.of(
            "sumatra-synced-segments",
            """
            {"environmentId":"5f0c0ffee0000000000000a1","contextKind":"user","cohortId":"sm-1",
             "cohortName":"Likely to convert","cohortUrl":"https://app.sumatra.ai/a/1",
             "included":{"add":[{"id":"s-1"}],"remove":[]}}
            """,
            List.of("+s-1"),
            "sm-1",
            "USER"),
        Arguments.of(
            "tealium-synced-segments",
            """
            {"action":"add_member","parameters":{"tealium_project_id":"5f0c0ffee0000000000000a1",
             "tealium_cohort_id":"tl-aud-4","tealium_cohort_name":"VIP","members":[{"member_id":"t-1"}]}}
            """,
            List.of("+t-1"),
            "tl-aud-4",
            "USER"),
        Arguments.of(
            "zeotap",
            """
            {"action":"remove_members","parameters":{"integration_project_id":"5f0c0ffee0000000000000a1",
             "integration_cohort_id":"zt-22","integration_cohort_name":"Lapsed buyers",
             "members":[{"integration_distinct_id":"z-1"},{"integration_distinct_id":"z-2"}]}}
            """,
            List.of("-z-1", "-z-2"),
            "zt-22",
            "USER"),
        Arguments.of(
            "example-synced-segment-integration1",
            """
            {"customer_config":{"fields":[{"field_id":"workspace","value":{"id":"5f0c0ffee0000000000000a1"}}]},
             "data":{"segment":{"id":"seg-1234","name":"Segment 1234"},"add":[{"id":"user-123"}],"remove":[{"id":"user-789"}]}}
            """,
            List.of("+user-123", "-user-789"),
            "seg-1234",
            "USER"),
        Arguments.of(
            "example-synced-segment-integration2",
            """
            {"action":"members","contextKind":"device","parameters":{"mixpanel_project_id":"5f0c0ffee0000000000000a1",
             "mixpanel_cohort_id":"mp-7","mixpanel_cohort_name":"Cohort seven","members":[{"mixpanel_distinct_id":"d-1"}]}}
            """,
            List.of("+d-1"),
            "mp-7",
            "DEVICE"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyPresetReadsItsSendersFixture(
      String key, String body, List<String> expected, String cohort, String kind) {
    start(List.of(preset(key, null)));

    var response = post(key, body, TOKEN);

    assertThat(response.status()).isEqualTo(204);
    List<String> got = new ArrayList<>();
    for (MembershipChange change : accepted.getFirst()) {
      assertThat(change.segment().segmentId().value()).isEqualTo(cohort);
      assertThat(change.segment().feedId().value()).isEqualTo("synced-" + key);
      UserIdentifier.ExternalUserId id =
          (UserIdentifier.ExternalUserId) change.identifiers().getFirst();
      assertThat(id.kind()).isEqualTo("CONTEXT_" + kind);
      got.add((change.operation() == MembershipOperation.ADD ? "+" : "-") + id.id());
    }
    assertThat(got).containsExactlyElementsOf(expected);
  }

  @Test
  void memberOverridesGroupChangesByTheirOwnCohort() {
    start(List.of(preset("amplitude", null)));

    post(
        "Amplitude",
        "{\"environmentId\":\"e\",\"batch\":[{\"userId\":\"u-1\",\"cohortId\":\"c-1\",\"cohortName\":\"One\",\"value\":true},"
            + "{\"userId\":\"u-2\",\"cohortId\":\"c-2\",\"cohortName\":\"Two\",\"value\":true},"
            + "{\"userId\":\"u-3\",\"value\":false}]}",
        "Bearer " + TOKEN);

    assertThat(accepted.getFirst())
        .extracting(c -> c.segment().segmentId().value())
        .containsExactly("c-1", "c-2", "c-1");
  }

  @Test
  void theTealiumMatcherTreatsRemoveAsAddAsItsManifestSays() {
    start(List.of(preset("tealium-synced-segments", null)));

    post(
        "tealium-synced-segments",
        "{\"action\":\"remove_member\",\"parameters\":{\"tealium_project_id\":\"e\",\"tealium_cohort_id\":\"c\","
            + "\"tealium_cohort_name\":\"n\",\"members\":[{\"member_id\":\"t-1\"}]}}",
        TOKEN);

    assertThat(accepted.getFirst().getFirst().operation()).isEqualTo(MembershipOperation.ADD);
  }

  @Test
  void tokensUnknownKeysAndUnreadableBodiesGetClearAnswers() {
    start(List.of(preset("rudderstack", null)));
    String body =
        "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"cohortName\":\"n\",\"listData\":{\"add\":[{\"id\":\"x\"}]}}";

    assertThat(post("rudderstack", body, null).status()).isEqualTo(401);
    var wrong = post("rudderstack", body, "nope");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.json().get("code").asText()).isEqualTo("forbidden");
    var unknown = post("mparticle", body, TOKEN);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("message").asText())
        .isEqualTo("integration with key mparticle not found");
    var missing =
        post("rudderstack", "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"listData\":{}}", TOKEN);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("message").asText())
        .isEqualTo("could not find path /cohortName in request payload");
    var notArray =
        post(
            "rudderstack",
            "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"cohortName\":\"n\",\"listData\":{\"add\":{}}}",
            TOKEN);
    assertThat(notArray.json().get("message").asText())
        .isEqualTo("parsed value for member array /listData/add is not an array");
    assertThat(post("rudderstack", "{oops", TOKEN).json().get("message").asText())
        .isEqualTo("malformed JSON body");
    var empty =
        post(
            "rudderstack",
            "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"cohortName\":\"n\"}",
            TOKEN);
    assertThat(empty.status()).isEqualTo(204);
    assertThat(accepted).isEmpty();
  }

  @Test
  void backPressureIs429WithTheResetTime() {
    start(List.of(preset("rudderstack", null)));
    answer = new UserSegmentUpdateResult.Retry(Duration.ofSeconds(3), "the queue is full");

    var response =
        post(
            "rudderstack",
            "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"cohortName\":\"n\",\"listData\":{\"add\":[{\"id\":\"x\"}]}}",
            TOKEN);

    assertThat(response.status()).isEqualTo(429);
    assertThat(response.header("retry-after")).isEqualTo("3");
    assertThat(Long.parseLong(response.header("x-ratelimit-reset")))
        .isGreaterThan(System.currentTimeMillis());
  }

  @Test
  void aTemplateRendersValidJsonForSuccessAndFailureWithoutHtmlEscaping() {
    start(List.of(preset("heap-inbound", manifestAnswer("heap-inbound"))));
    String ok =
        "{\"parameters\":{\"environment_id\":\"5f0c\"},\"heap\":{\"data\":{\"segment\":{\"id\":\"heap-seg-3\","
            + "\"name\":\"Activated\"},\"add\":[{\"id\":\"h-1\"}]}}}";

    var success = post("heap-inbound", ok, TOKEN);
    var failure = post("heap-inbound", ok.replace(",\"name\":\"Activated\"", ""), TOKEN);

    assertThat(success.status()).isEqualTo(200);
    assertThat(success.body())
        .isEqualTo(
            "{\"projectId\":\"default\",\"environmentId\":\"5f0c\",\"segmentId\":\"heap-inbound-heap-seg-3\","
                + "\"segmentUrl\":\"https://app.launchdarkly.com/default/production/segments/heap-inbound-heap-seg-3/targeting\","
                + "\"status\":\"success\"}");
    assertThat(failure.status()).isEqualTo(400);
    assertThat(failure.json().get("status").asText()).isEqualTo("failure");
    assertThat(failure.json().get("error").get("message").asText())
        .isEqualTo("could not find path /heap/data/segment/name in request payload");
    assertThat(failure.json().get("error").get("code").asInt()).isEqualTo(400);
  }

  static ResponseTemplate manifestAnswer(String key) {
    return new ResponseTemplate(SyncedSegmentPresets.response(key).orElseThrow());
  }

  @Test
  void theHeapManifestAnswerIsTheOneTheReferenceRenders() {
    assertThat(SyncedSegmentPresets.response("heap-inbound")).contains(HEAP_TEMPLATE);
    assertThat(SyncedSegmentPresets.response("rudderstack")).isEmpty();
  }

  @Test
  void theSecondExampleAnswersItsManifestBodyAsTheValidationServerDoes() {
    start(
        List.of(
            preset(
                "example-synced-segment-integration2",
                manifestAnswer("example-synced-segment-integration2"))));
    String body =
        "{\"action\": \"members\", \"contextKind\": \"device\", \"parameters\": {\"mixpanel_project_id\":"
            + " \"5f0c0ffee0000000000000a1\", \"mixpanel_cohort_id\": \"mp-7\", \"mixpanel_cohort_name\":"
            + " \"Cohort seven\", \"members\": [{\"mixpanel_distinct_id\": \"d-1\"}]}}";

    var success = post("example-synced-segment-integration2", body, TOKEN);
    var failure =
        post(
            "example-synced-segment-integration2",
            body.replace("\"mixpanel_cohort_id\": \"mp-7\", ", ""),
            TOKEN);

    assertThat(success.status()).isEqualTo(200);
    assertThat(success.body())
        .isEqualTo(
            "{\"environmentId\":\"\",\"contextKind\":\"device\",\"projectKey\":\"default\","
                + "\"envKey\":\"5f0c0ffee0000000000000a1\","
                + "\"segmentKey\":\"example-synced-segment-integration2-mp-7\","
                + "\"segmentUrl\":\"https://app.launchdarkly.com/default/production/segments/"
                + "example-synced-segment-integration2-mp-7/targeting\",\"status\":\"success\"}");
    assertThat(accepted).hasSize(1);
    assertThat(failure.status()).isEqualTo(400);
    assertThat(failure.json().get("envKey").asText()).isEmpty();
    assertThat(failure.json().get("segmentKey").asText()).isEmpty();
    assertThat(failure.json().get("error").get("message").asText())
        .isEqualTo("could not find path /parameters/mixpanel_cohort_id in request payload");
  }

  @Test
  void requestValuesCannotBreakOrAlterTheTemplatedJson() {
    var template =
        new ResponseTemplate(
            "{\"kind\":\"{{requestBody.contextKind}}\",\"raw\":\"{{{requestBody.contextKind}}}\"}");
    start(List.of(preset("example-synced-segment-integration2", template)));
    String tricky = "a&b<c>\\\"d'e=f\\\\ \\n";

    var response =
        post(
            "example-synced-segment-integration2",
            "{\"action\":\"members\",\"contextKind\":\""
                + tricky
                + "\",\"parameters\":{\"mixpanel_project_id\":\"e\","
                + "\"mixpanel_cohort_id\":\"c\",\"mixpanel_cohort_name\":\"n\",\"members\":[{\"mixpanel_distinct_id\":\"d\"}]}}",
            TOKEN);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("kind").asText()).isEqualTo("a&b<c>\"d'e=f\\ \n");
    assertThat(response.json().get("raw").asText()).isEqualTo("a&b<c>\"d'e=f\\ \n");
  }

  @Test
  void explicitPointersFollowTheManifestRules() {
    var parser =
        SyncedSegmentParser.fromSettings(
            Map.of(
                "environmentIdPath", "/env",
                "cohortIdPath", "/cohort",
                "cohortNamePath", "/name",
                "addMemberArrayPath", "/in",
                "removeMemberArrayPath", "/out",
                "memberArrayParser.memberIdPath", "/key"));
    assertThat(parser.addMemberArrayPath()).isEqualTo("/in");

    assertThatThrownBy(
            () ->
                SyncedSegmentParser.fromSettings(
                    Map.of(
                        "environmentIdPath", "/env",
                        "cohortIdPath", "/cohort",
                        "cohortNamePath", "/name",
                        "addMemberArrayPath", "/in",
                        "memberArrayParser.memberIdPath", "/key")))
        .hasMessage("addMemberArrayPath and removeMemberArrayPath go together");
    assertThatThrownBy(
            () ->
                SyncedSegmentParser.fromSettings(
                    Map.of(
                        "environmentIdPath", "env",
                        "cohortIdPath", "/cohort",
                        "cohortNamePath", "/name",
                        "memberArrayPath", "/m",
                        "memberArrayParser.booleanMembershipPath", "/v",
                        "memberArrayParser.memberIdPath", "/key")))
        .hasMessage("'env' is not a JSON pointer (it must start with /)");
    assertThatThrownBy(
            () ->
                SyncedSegmentParser.fromSettings(
                    Map.of(
                        "environmentIdPath", "/env",
                        "cohortIdPath", "/cohort",
                        "cohortNamePath", "/name",
                        "memberArrayPath", "/m",
                        "memberArrayParser.memberIdPath", "/key")))
        .hasMessage(
            "memberArrayPath needs exactly one of arrayInclusion or memberArrayParser.booleanMembershipPath");
  }
}

package io.audiencerelay.adapters.http.in.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.http.in.FakeUseCases;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.TestServer;
import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.BatchUpdateCommand;
import io.audiencerelay.application.port.in.BatchUpdateResult;
import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult.Choice;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult.PropertyChoices;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentConnectionResult;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.Visibility;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route's status mapping and bodies, on a real server, with use cases that answer what each
 * test sets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class FeedPluginRoutesTest {
  static final String SEGMENT =
      "{\"feed_id\":\"6921\",\"datamart_id\":\"1509\",\"segment_id\":\"84213\"}";
  public static final String UPDATE =
      """
      {"feed_id":"6921","session_id":"18345","datamart_id":"1509","segment_id":"84213","feed_destination_id":"318",
       "user_identifiers":[
         {"type":"USER_POINT","user_point_id":"4b1f6c8e-2d3a-4e5f-9a7b-0c1d2e3f4a5b","creation_ts":1718000000000},
         {"type":"USER_ACCOUNT","user_account_id":"crm-000123","compartment_id":1},
         {"type":"USER_EMAIL","hash":"5d41402abc4b2a76b9719d911017c592","email":"jane@example.com","providers":[]},
         {"type":"USER_AGENT","vector_id":"vec:886742516","device":{"form_factor":"SMARTPHONE"}},
         {"type":"USER_DEVICE_POINT","id":"device-point-77","technical_identifiers":[
           {"type":"MOBILE_ADVERTISING_ID","user_agent_id":"mob:and:raw:6d1f","registry_id":"12"}]},
         {"type":"SOMETHING_NEW","whatever":1}],
       "user_profiles":[{"$compartment_id":"1","loyalty_tier":"GOLD"}],
       "ts":1718500005000,"operation":"DELETE","preset_id":"9"}
      """;

  final FakeUseCases fake = new FakeUseCases();
  final LogLevels logLevels = new LogLevels();
  TestServer server;

  @BeforeAll
  void start() {
    server = new TestServer(fake.asUseCases(), logLevels, 64 * 1024);
  }

  @AfterAll
  void stop() {
    server.close();
    logLevels.set("info");
  }

  @Nested
  class CommonRoutes {
    @Test
    void initAndStatusAnswer200WithNoBody() {
      assertThat(
              server
                  .post("/v1/init", "{\"authentication_token\":\"x\",\"worker_id\":\"w\"}")
                  .status())
          .isEqualTo(200);
      var status = server.get("/v1/status");
      assertThat(status.status()).isEqualTo(200);
      assertThat(status.body()).isEmpty();
    }

    @Test
    void logLevelIsReadUpperCaseAndSetInAnyCase() {
      assertThat(server.get("/v1/log_level").json().get("level").asText()).isEqualTo("INFO");

      assertThat(server.put("/v1/log_level", "{\"level\":\"DEBUG\"}").status()).isEqualTo(200);

      assertThat(server.get("/v1/log_level").body()).isEqualTo("{\"level\":\"DEBUG\"}");
      assertThat(java.util.logging.Logger.getLogger("").getLevel())
          .isEqualTo(java.util.logging.Level.FINER);
      logLevels.set("info");
    }

    @Test
    void aMissingOrUnknownLevelIs400AndChangesNothing() {
      var missing = server.put("/v1/log_level", "{\"lvl\":\"debug\"}");
      assertThat(missing.status()).isEqualTo(400);
      assertThat(missing.json().get("message").asText()).startsWith("level is required");

      var unknown = server.put("/v1/log_level", "{\"level\":\"nonsense\"}");
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.json().get("message").asText()).contains("Unknown level 'nonsense'");
      assertThat(server.get("/v1/log_level").json().get("level").asText()).isEqualTo("INFO");
    }

    @Test
    void metadataDescribesTheRuntime() {
      var metadata = server.get("/v1/metadata");
      assertThat(metadata.status()).isEqualTo(200);
      assertThat(metadata.header("content-type")).startsWith("application/json");
      assertThat(metadata.json().get("runtime").asText()).isEqualTo("java");
    }

    @Test
    void unknownRoutesAndMethodsAre404WithAJsonBody() {
      var unknown = server.post("/v1/shutdown", "{}");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.json().get("error").asText()).isEqualTo("No route for POST /v1/shutdown");

      assertThat(server.get("/v1/user_segment_update").status()).isEqualTo(404);
    }
  }

  @Nested
  class ExternalSegmentCreation {
    @Test
    void okIs200WithVisibilityAndMessage() {
      fake.creation =
          new SegmentCreationResult.Created("Audience 'mics_84213' created", Visibility.PUBLIC);

      var answer = server.post("/v1/external_segment_creation", SEGMENT);

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"ok\",\"visibility\":\"PUBLIC\",\"message\":\"Audience 'mics_84213' created\"}");
      SegmentCommand command = fake.last();
      assertThat(command.segment().segmentId().value()).isEqualTo("84213");
      assertThat(command.segment().datamartId()).isEqualTo("1509");
      assertThat(command.feedDestinationId()).isNull();
    }

    @Test
    void errorIs500AndKeepsItsVisibility() {
      fake.creation = new Failed("Partner rejected the audience name", Visibility.PRIVATE);

      var answer = server.post("/v1/external_segment_creation", SEGMENT);

      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"error\",\"visibility\":\"PRIVATE\",\"message\":\"Partner rejected the audience name\"}");
    }

    @Test
    void aMissingSegmentIdIs400NamingIt() {
      var answer = server.post("/v1/external_segment_creation", "{\"feed_id\":\"6921\"}");

      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().get("status").asText()).isEqualTo("error");
      assertThat(answer.json().get("message").asText()).isEqualTo("segment_id is required");
    }
  }

  @Nested
  class ExternalSegmentConnection {
    @Test
    void okIs200() {
      fake.connection = new SegmentConnectionResult.Connected("connected");
      var answer = server.post("/v1/external_segment_connection", SEGMENT);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("{\"status\":\"ok\",\"message\":\"connected\"}");
    }

    @Test
    void notReadyYetIs502() {
      fake.connection =
          new SegmentConnectionResult.NotReadyYet("Partner audience still provisioning");
      var answer = server.post("/v1/external_segment_connection", SEGMENT);
      assertThat(answer.status()).isEqualTo(502);
      assertThat(answer.json().get("status").asText()).isEqualTo("external_segment_not_ready_yet");
    }

    @Test
    void errorIs500() {
      fake.connection = new Failed("gone");
      var answer = server.post("/v1/external_segment_connection", SEGMENT);
      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.body()).isEqualTo("{\"status\":\"error\",\"message\":\"gone\"}");
    }
  }

  @Nested
  class UserSegmentUpdate {
    @Test
    void okIs200AndEveryIdentifierTypeIsRead() {
      fake.update = new UserSegmentUpdateResult.Accepted();

      var answer = server.post("/v1/user_segment_update", UPDATE);

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(answer.header("x-mics-next-msg-delay")).isNull();
      UpdateUserSegmentCommand command = fake.last();
      assertThat(command.operation()).isEqualTo(MembershipOperation.REMOVE);
      assertThat(command.observedAt()).isEqualTo(Instant.ofEpochMilli(1718500005000L));
      assertThat(command.feedDestinationId()).isEqualTo(new FeedDestinationId("318"));
      assertThat(command.identifiers())
          .containsExactly(
              new UserIdentifier.UserPoint("4b1f6c8e-2d3a-4e5f-9a7b-0c1d2e3f4a5b"),
              new UserIdentifier.UserAccount("crm-000123", "1"),
              new UserIdentifier.UserEmail("5d41402abc4b2a76b9719d911017c592", "jane@example.com"),
              new UserIdentifier.UserAgent("vec:886742516"),
              new UserIdentifier.UserDevicePoint("device-point-77"),
              new UserIdentifier.DeviceTechnicalId(
                  "MOBILE_ADVERTISING_ID", "mob:and:raw:6d1f", "12"));
    }

    @Test
    void aMinimalUpdateIsAnUpsert() {
      fake.update = new UserSegmentUpdateResult.Accepted();

      server.post(
          "/v1/user_segment_update",
          "{\"feed_id\":\"1\",\"segment_id\":\"2\",\"user_identifiers\":[{\"type\":\"USER_POINT\",\"user_point_id\":\"u\"}]}");

      UpdateUserSegmentCommand command = fake.last();
      assertThat(command.operation()).isEqualTo(MembershipOperation.ADD);
      assertThat(command.observedAt()).isNull();
    }

    @Test
    void aChunkedBodyAndALongDeclaredOneAreReadWhole() {
      fake.update = new UserSegmentUpdateResult.Accepted();
      // Longer than the 16 KB first buffer of readAllBytes, and ending in the field that matters.
      String padded =
          "{\"padding\":\""
              + "p".repeat(40 * 1024)
              + "\","
              + UPDATE.strip().substring(1).replace("\"DELETE\"", "\"UPSERT\"");

      var chunked = postChunked(UPDATE);
      assertThat(chunked.status()).isEqualTo(200);
      UpdateUserSegmentCommand fromChunks = fake.last();
      assertThat(fromChunks.identifiers()).hasSize(6);
      assertThat(fromChunks.operation()).isEqualTo(MembershipOperation.REMOVE);

      var declared = server.post("/v1/user_segment_update", padded);
      assertThat(declared.status()).isEqualTo(200);
      UpdateUserSegmentCommand fromLongBody = fake.last();
      assertThat(fromLongBody.identifiers()).hasSize(6);
      assertThat(fromLongBody.operation()).isEqualTo(MembershipOperation.ADD);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
      var answer = postChunked("{\"feed_id\":\"" + "x".repeat(70 * 1024) + "\"}");
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.json().get("error").asText())
          .isEqualTo("Request body larger than 65536 bytes");
    }

    /** Sent without a length: the client streams it in chunks. */
    TestServer.Answer postChunked(String body) {
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return server.send(
          java.net.http.HttpRequest.newBuilder(server.uri("/v1/user_segment_update"))
              .POST(
                  java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                      () -> new java.io.ByteArrayInputStream(bytes))));
    }

    @Test
    void retryIs429WithTheDelayInHeaderAndBody() {
      fake.update =
          new UserSegmentUpdateResult.Retry(Duration.ofSeconds(30), "Partner rate limit reached");

      var answer = server.post("/v1/user_segment_update", UPDATE);

      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("x-mics-next-msg-delay")).isEqualTo("30000");
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"retry\",\"message\":\"Partner rate limit reached\",\"next_msg_delay_in_ms\":30000}");
    }

    @Test
    void retryWithoutADelayHasNoHeader() {
      fake.update = new UserSegmentUpdateResult.Retry(Duration.ZERO, "busy");
      var answer = server.post("/v1/user_segment_update", UPDATE);
      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("x-mics-next-msg-delay")).isNull();
      assertThat(answer.json().has("next_msg_delay_in_ms")).isFalse();
    }

    @Test
    void noEligibleIdentifierIs400() {
      fake.update = new UserSegmentUpdateResult.NoEligibleIdentifier("No email hash for this user");
      var answer = server.post("/v1/user_segment_update", UPDATE);
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"no_eligible_identifier\",\"message\":\"No email hash for this user\"}");
    }

    @Test
    void errorIs500() {
      fake.update = new Failed("Destination 'demo' rejected the update: bad");
      var answer = server.post("/v1/user_segment_update", UPDATE);
      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.json().get("status").asText()).isEqualTo("error");
    }
  }

  @Nested
  class MalformedRequests {
    @Test
    void noBodyOrAnEmptyObjectIsMissingRequestBody() {
      for (String body : List.of("", "{}", "  { }\n")) {
        var answer = server.post("/v1/user_segment_update", body);
        assertThat(answer.status()).as("body %s", body).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":\"Missing request body\"}");
      }
    }

    @Test
    void brokenJsonIs400SayingWhere() {
      var answer = server.post("/v1/user_segment_update", "{\"feed_id\": 12,");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.header("content-type")).startsWith("application/json");
      assertThat(answer.json().get("error").asText())
          .startsWith("Malformed JSON body")
          .contains("line 1");
    }

    @Test
    void aFieldOfTheWrongShapeIs400NamingTheField() {
      var answer =
          server.post(
              "/v1/user_segment_update", "{\"feed_id\":\"1\",\"user_identifiers\":\"all\"}");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().get("message").asText())
          .startsWith("Invalid field 'user_identifiers'");
    }

    @Test
    void anUnknownOperationIs400() {
      var answer =
          server.post(
              "/v1/user_segment_update",
              "{\"feed_id\":\"1\",\"segment_id\":\"2\",\"operation\":\"MERGE\"}");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().get("message").asText())
          .isEqualTo("operation must be UPSERT or DELETE, got 'MERGE'");
    }

    @Test
    void aBodyOverTheLimitIs413WithAJsonBody() {
      // Expect: 100-continue, as a well-behaved client sends a large body: the server refuses
      // before the body is
      // sent, instead of closing the connection under a client still writing it.
      var answer =
          server.send(
              java.net.http.HttpRequest.newBuilder(server.uri("/v1/user_segment_update"))
                  .expectContinue(true)
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"feed_id\":\"" + "x".repeat(70 * 1024) + "\"}")));
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.json().get("error").asText())
          .isEqualTo("Request body larger than 65536 bytes");
    }

    @Test
    void anUnexpectedFailureIs500WithoutAStackTrace() {
      fake.update = null; // the fake throws IllegalStateException
      var answer = server.post("/v1/user_segment_update", UPDATE);
      assertThat(answer.status()).isEqualTo(500);
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"error\",\"message\":\"Internal error (IllegalStateException), see the relay's log\"}");
    }
  }

  @Nested
  class BatchUpdate {
    static final String BATCH =
        """
        {"batch_content":[
           {"operation":"UPSERT","user_identifiers":[{"type":"USER_EMAIL","hash":"h1"}]},
           "{\\"user_identifiers\\":[{\\"type\\":\\"USER_POINT\\",\\"user_point_id\\":\\"u2\\"}]}",
           {"uuid":"not-our-format","user_list":123},
           42],
         "ts":1718500100000,
         "context":{"endpoint":"/v1/user_segment_update","feed_id":"6921","feed_session_id":"18345",
                    "segment_id":"84213","datamart_id":"1509","grouping_key":"DELETE"}}
        """;

    @Test
    void okIs200WithCountersAndItemsInBothEncodings() {
      fake.batch = new BatchUpdateResult.Sent(2, 2, "2 item(s) unusable");

      var answer = server.post("/v1/batch_update", BATCH);

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"OK\",\"sent_items_in_success\":2,\"sent_items_in_error\":2,\"message\":\"2 item(s) unusable\"}");
      BatchUpdateCommand command = fake.last();
      assertThat(command.unreadableItems()).isEqualTo(2);
      assertThat(command.items())
          .containsExactly(
              new BatchUpdateCommand.Item(
                  MembershipOperation.ADD, List.of(new UserIdentifier.UserEmail("h1", null))),
              new BatchUpdateCommand.Item(
                  MembershipOperation.REMOVE, List.of(new UserIdentifier.UserPoint("u2"))));
    }

    @Test
    void errorIs400() {
      fake.batch = new BatchUpdateResult.Error(0, 4, "nothing usable");
      var answer = server.post("/v1/batch_update", BATCH);
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().get("status").asText()).isEqualTo("ERROR");
    }

    @Test
    void retryIs503WithTheDelayHeaderOnly() {
      fake.batch =
          new BatchUpdateResult.Retry(Duration.ofMinutes(1), 0, 4, "Partner API throttled");
      var answer = server.post("/v1/batch_update", BATCH);
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.header("x-mics-next-msg-delay")).isEqualTo("60000");
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"RETRY\",\"sent_items_in_success\":0,\"sent_items_in_error\":4,\"message\":\"Partner API throttled\"}");
    }

    @Test
    void aBatchWithoutContextIs400() {
      var answer = server.post("/v1/batch_update", "{\"batch_content\":[]}");
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().get("message").asText()).isEqualTo("context is required");
    }
  }

  @Nested
  class Troubleshoot {
    static final String REQUEST =
        "{\"feed_id\":\"6921\",\"datamart_id\":\"1509\",\"segment_id\":\"84213\",\"action\":\"FETCH_DESTINATION_AUDIENCE\"}";

    @Test
    void okIs200WithData() {
      fake.troubleshoot =
          new TroubleshootResult.Found("Destination audience found", Map.of("size", 120400));
      var answer = server.post("/v1/troubleshoot", REQUEST);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"ok\",\"message\":\"Destination audience found\",\"data\":{\"size\":120400}}");
    }

    @Test
    void anUnsupportedActionIs400NotImplementedBeforeAnythingElse() {
      var answer =
          server.post(
              "/v1/troubleshoot",
              REQUEST.replace("FETCH_DESTINATION_AUDIENCE", "FETCH_EVERYTHING"));
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.body())
          .isEqualTo(
              "{\"status\":\"not_implemented\",\"message\":\"Action FETCH_EVERYTHING not supported\"}");
    }

    @Test
    void notImplementedIs400AndErrorIs500() {
      fake.troubleshoot = new NotImplemented(null);
      var notImplemented = server.post("/v1/troubleshoot", REQUEST);
      assertThat(notImplemented.status()).isEqualTo(400);
      assertThat(notImplemented.body()).isEqualTo("{\"status\":\"not_implemented\"}");

      fake.troubleshoot = new Failed("partner down");
      assertThat(server.post("/v1/troubleshoot", REQUEST).status()).isEqualTo(500);
    }
  }

  @Nested
  class AuthenticationFamily {
    static final String STATUS_QUERY =
        """
        {"datamart_id":"1509","segment_id":"84213","plugin_version_id":"4410","user_id":"2291",
         "properties":[{"technical_name":"destination","property_type":"STRING","value":{"value":"meta"},
                        "origin":"INSTANCE","writable":true,"deletable":true},
                       {"technical_name":"endpoint","property_type":"URL","value":{"url":"https://x"}}]}
        """;

    @Test
    void authenticationStatusMapsEachAnswer() {
      fake.authenticationStatus =
          new AuthenticationStatusResult.NotAuthenticated("https://partner.example/login", null);
      var notAuthenticated = server.post("/v1/authentication_status_queries", STATUS_QUERY);
      assertThat(notAuthenticated.status()).isEqualTo(200);
      assertThat(notAuthenticated.body())
          .isEqualTo(
              "{\"status\":\"not_authenticated\",\"data\":{\"login_url\":\"https://partner.example/login\"}}");
      AuthenticationStatusQuery query = fake.last();
      assertThat(query.properties().get("destination")).contains("meta");
      assertThat(query.properties().get("endpoint")).contains("https://x");

      fake.authenticationStatus = new AuthenticationStatusResult.Authenticated(Map.of());
      assertThat(server.post("/v1/authentication_status_queries", STATUS_QUERY).body())
          .isEqualTo("{\"status\":\"authenticated\"}");

      fake.authenticationStatus = new NotImplemented(null);
      assertThat(server.post("/v1/authentication_status_queries", STATUS_QUERY).status())
          .isEqualTo(400);

      fake.authenticationStatus = new Failed("boom");
      assertThat(server.post("/v1/authentication_status_queries", STATUS_QUERY).status())
          .isEqualTo(500);
    }

    @Test
    void authenticationNeverReturnsTheRefreshToken() {
      fake.authentication =
          new AuthenticationResult.Authenticated("Connected to partner account", "1//secret");

      var answer =
          server.post(
              "/v1/authentication",
              "{\"user_id\":\"2291\",\"plugin_version_id\":\"4410\",\"feed_destination_id\":\"318\","
                  + "\"params\":{\"code\":\"4/0Af\",\"state\":\"318\"}}");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body())
          .isEqualTo("{\"status\":\"ok\",\"message\":\"Connected to partner account\"}");
      AuthenticateCommand command = fake.last();
      assertThat(command.params()).containsEntry("code", "4/0Af");
      assertThat(command.feedDestinationId()).isEqualTo(new FeedDestinationId("318"));

      fake.authentication = new NotImplemented(null);
      assertThat(server.post("/v1/authentication", "{\"user_id\":\"2291\"}").status())
          .isEqualTo(400);
      fake.authentication = new Failed("bad code");
      assertThat(server.post("/v1/authentication", "{\"user_id\":\"2291\"}").status())
          .isEqualTo(500);
      assertThat(server.post("/v1/authentication", "{\"plugin_version_id\":\"1\"}").status())
          .isEqualTo(400);
    }

    @Test
    void logoutMapsEachAnswer() {
      String request =
          "{\"user_id\":\"2291\",\"plugin_version_id\":\"4410\",\"datamart_id\":\"1509\"}";
      fake.logout = new LogoutResult.LoggedOut(null);
      assertThat(server.post("/v1/logout", request).body()).isEqualTo("{\"status\":\"ok\"}");
      fake.logout = new NotImplemented(null);
      assertThat(server.post("/v1/logout", request).status()).isEqualTo(400);
      fake.logout = new Failed("x");
      assertThat(server.post("/v1/logout", request).status()).isEqualTo(500);
    }

    @Test
    void dynamicPropertyValuesMapEachAnswer() {
      String request =
          "{\"datamart_id\":\"1509\",\"user_id\":\"2291\",\"segment_id\":\"84213\",\"feed_destination_id\":\"318\"}";
      fake.dynamicValues =
          new DynamicPropertyValuesResult.Values(
              List.of(
                  new PropertyChoices(
                      "ad_account_id",
                      List.of(
                          new Choice("ACME France", "act_991"),
                          new Choice("ACME Spain", "act_992")))));
      var values = server.post("/v1/dynamic_property_values_queries", request);
      assertThat(values.status()).isEqualTo(200);
      assertThat(values.body())
          .isEqualTo(
              "{\"status\":\"ok\",\"data\":[{\"property_technical_name\":\"ad_account_id\",\"enum\":["
                  + "{\"label\":\"ACME France\",\"value\":\"act_991\"},{\"label\":\"ACME Spain\",\"value\":\"act_992\"}]}]}");

      fake.dynamicValues =
          new DynamicPropertyValuesResult.Empty("No ad account is linked to this login");
      var empty = server.post("/v1/dynamic_property_values_queries", request);
      assertThat(empty.status()).isEqualTo(200);
      assertThat(empty.json().get("status").asText()).isEqualTo("empty");

      fake.dynamicValues = new NotImplemented(null);
      assertThat(server.post("/v1/dynamic_property_values_queries", request).status())
          .isEqualTo(400);
    }

    @Test
    void testAuthenticationMapsEachAnswer() {
      String request = "{\"feed_destination_id\":\"318\"}";
      fake.credentialsTest = new CredentialsTestResult.Valid(null);
      assertThat(server.post("/v1/test_authentication", request).status()).isEqualTo(200);

      fake.credentialsTest =
          new CredentialsTestResult.Invalid("Credentials rejected by the destination");
      var invalid = server.post("/v1/test_authentication", request);
      assertThat(invalid.status()).isEqualTo(401);
      assertThat(invalid.body())
          .isEqualTo(
              "{\"status\":\"invalid_credentials\",\"message\":\"Credentials rejected by the destination\"}");

      fake.credentialsTest = new NotImplemented(null);
      assertThat(server.post("/v1/test_authentication", request).status()).isEqualTo(400);
      fake.credentialsTest = new Failed("Could not fetch feed destination credentials");
      assertThat(server.post("/v1/test_authentication", request).status()).isEqualTo(500);

      var missing = server.post("/v1/test_authentication", "{\"plugin_version_id\":\"1\"}");
      assertThat(missing.status()).isEqualTo(400);
      assertThat(missing.json().get("message").asText())
          .isEqualTo("feed_destination_id is required");
    }

    @Test
    void oauthRedirectUrlIs200WithTheUrlOr500WhenNotImplemented() {
      String request = "{\"feed_destination_id\":\"318\",\"plugin_version_id\":\"4410\"}";
      fake.oauthRedirect =
          new OAuthRedirectResult.LoginUrl("https://partner.example/oauth?feed_destination_id=318");
      var url = server.post("/v1/oauth_redirect_url", request);
      assertThat(url.status()).isEqualTo(200);
      assertThat(url.body())
          .isEqualTo("{\"login_url\":\"https://partner.example/oauth?feed_destination_id=318\"}");

      fake.oauthRedirect = new NotImplemented(null);
      var notImplemented = server.post("/v1/oauth_redirect_url", request);
      assertThat(notImplemented.status()).isEqualTo(500);
      assertThat(notImplemented.body())
          .isEqualTo(
              "{\"status\":\"error\",\"message\":\"onCreateOAuthRedirectUrl is not implemented\"}");
    }
  }
}

package io.audiencerelay.adapters.http.in.mapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.http.in.FakeUseCases;
import io.audiencerelay.adapters.http.in.HttpObserver;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.TestServer;
import io.audiencerelay.application.port.in.AcceptExternalChangesUseCase;
import io.audiencerelay.application.port.in.EnsureExternalAudienceUseCase;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.Visibility;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MappDiyRoutesTest {
  static final String SECRET = "mapp-shared-secret";
  static final String CREATE =
      "{\"Type\":\"CREATE_AUDIENCE\",\"Name\":\"Cart abandoners 7d\",\"Customer\":4711,"
          + "\"Audience\":\"0f3a9c21b7de4e5.120934857612345678\",\"NewField\":true}";
  static final String ADD =
      """
      {"Type":"ADD_TO_AUDIENCE","Mutations":[
        {"Uuid":"6c1f2e9a-0b7d-4c3e-9a51-2f8e7d6c5b41","Audience":"m4711-9e1b","Customer":4711,"Platform":205,
         "External_user_id":"ext-998877"},
        {"Uuid":"2a9d0c4e-7f61-4b2a-8e3d-5c1b0a9f8e72","Audience":"TP-55001","Customer":"4711","Platform":205}]}
      """;

  final List<List<MembershipChange>> accepted = new CopyOnWriteArrayList<>();
  final List<ExternalSegment> ensured = new CopyOnWriteArrayList<>();
  volatile UserSegmentUpdateResult acceptAnswer = new UserSegmentUpdateResult.Accepted();
  final AcceptExternalChangesUseCase accept =
      (destination, changes) -> {
        accepted.add(changes);
        return acceptAnswer;
      };
  final EnsureExternalAudienceUseCase ensure =
      (destination, segment) -> {
        ensured.add(segment);
        return new SegmentCreationResult.Created(segment.segmentId().value(), Visibility.PUBLIC);
      };
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  TestServer start(Optional<MappDiy> mapp) {
    server =
        new TestServer(
            new FakeUseCases().asUseCases(), new LogLevels(), 1 << 20, HttpObserver.NONE, mapp);
    return server;
  }

  MappDiy signed(String user, String password) {
    return new MappDiy(SECRET, user, password, new DestinationName("files"), false, accept, ensure);
  }

  TestServer.Answer post(String type, String body, String signature, String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri("/mapp/diy" + (type == null ? "" : "?type=" + type)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-HMAC", signature);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return server.send(request);
  }

  static String sign(String body) {
    return new MappSignature(SECRET).of(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theSignatureIsHexHmacSha1ComparedWithoutRegardToCase() {
    // RFC 2202, test case 2.
    var jefe = new MappSignature("Jefe");
    byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

    assertThat(jefe.of(body)).isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    assertThat(jefe.matches(body, " EFFCDF6AE5EB2FA2D27416D5F184DF9C259A7C79 ")).isTrue();
    assertThat(jefe.matches(body, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c7a")).isFalse();
  }

  @Nested
  class Signed {
    @Test
    void getAndAnUnsignedValidateAnswer200() {
      start(Optional.of(signed(null, null)));

      assertThat(server.get("/mapp/diy").status()).isEqualTo(200);
      assertThat(post("VALIDATE", "", null, null).status()).isEqualTo(200);
      assertThat(
              post("VALIDATE", "{\"Type\":\"VALIDATE\"}", sign("{\"Type\":\"VALIDATE\"}"), null)
                  .status())
          .isEqualTo(200);
    }

    @Test
    void aValidateWithAWrongSignatureIsRefusedEvenWhenUnsignedOnesAreTaken() {
      start(Optional.of(signed(null, null)));
      String body = "{\"Type\":\"VALIDATE\"}";

      var wrong = post("VALIDATE", body, sign(body).replace('a', 'b').replace('1', '2'), null);
      var garbage = post("VALIDATE", body, "not-hex", null);
      var empty = post("VALIDATE", body, "", null);

      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.body()).isEqualTo("{\"error\":\"invalid signature\"}");
      assertThat(garbage.status()).isEqualTo(401);
      assertThat(empty.status()).isEqualTo(401);
    }

    @Test
    void createAnswersAStableIdForTheSameCustomerAndName() {
      start(Optional.of(signed(null, null)));

      var first = post("CREATE_AUDIENCE", CREATE, sign(CREATE), null);
      var second = post("CREATE_AUDIENCE", CREATE, sign(CREATE).toUpperCase(), null);

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body())
          .isEqualTo("{\"id\":\"" + MappDiyRoutes.audienceId("4711", "Cart abandoners 7d") + "\"}");
      assertThat(second.body()).isEqualTo(first.body());
      assertThat(ensured.getFirst().feedId().value()).isEqualTo("mapp-4711");
      assertThat(ensured.getFirst().segmentId().value()).startsWith("m4711-");
    }

    @Test
    void addAndRemoveQueueEveryMutationWithBothIds() {
      start(Optional.of(signed(null, null)));
      String remove = ADD.replace("ADD_TO_AUDIENCE", "REMOVE_FROM_AUDIENCE");

      var added = post("ADD_TO_AUDIENCE", ADD, sign(ADD), null);
      var removed = post("REMOVE_FROM_AUDIENCE", remove, sign(remove), null);

      assertThat(added.status()).isEqualTo(200);
      assertThat(removed.status()).isEqualTo(200);
      MembershipChange first = accepted.getFirst().getFirst();
      assertThat(first.operation()).isEqualTo(MembershipOperation.ADD);
      assertThat(first.segment().segmentId().value()).isEqualTo("m4711-9e1b");
      assertThat(first.identifiers())
          .containsExactly(
              new UserIdentifier.ExternalUserId("MAPP_EXTERNAL_USER_ID", "ext-998877"),
              new UserIdentifier.ExternalUserId(
                  "MAPP_UUID", "6c1f2e9a-0b7d-4c3e-9a51-2f8e7d6c5b41"));
      assertThat(accepted.getFirst().get(1).identifiers())
          .containsExactly(
              new UserIdentifier.ExternalUserId(
                  "MAPP_UUID", "2a9d0c4e-7f61-4b2a-8e3d-5c1b0a9f8e72"));
      assertThat(accepted.get(1))
          .allMatch(change -> change.operation() == MembershipOperation.REMOVE);
    }

    @Test
    void eachMutationKeepsItsOwnCustomerAndAudience() {
      start(Optional.of(signed(null, null)));
      String body =
          "{\"Type\":\"ADD_TO_AUDIENCE\",\"Mutations\":["
              + "{\"Uuid\":\"u1\",\"Audience\":\"a1\",\"Customer\":4711},"
              + "{\"Uuid\":\"u2\",\"Audience\":\"a1\",\"Customer\":4711},"
              + "{\"Uuid\":\"u3\",\"Audience\":\"a1\",\"Customer\":4712},"
              + "{\"Uuid\":\"u4\",\"Audience\":\"a2\",\"Customer\":4712}]}";

      assertThat(post("ADD_TO_AUDIENCE", body, sign(body), null).status()).isEqualTo(200);

      assertThat(accepted.getFirst())
          .extracting(
              change ->
                  change.segment().feedId().value() + "/" + change.segment().segmentId().value())
          .containsExactly("mapp-4711/a1", "mapp-4711/a1", "mapp-4712/a1", "mapp-4712/a2");
    }

    @Test
    void aMissingOrWrongSignatureIs401AndNothingIsQueued() {
      start(Optional.of(signed(null, null)));

      var missing = post("ADD_TO_AUDIENCE", ADD, null, null);
      var wrong = post("ADD_TO_AUDIENCE", ADD, sign(ADD.replace("ext-998877", "ext-0")), null);
      var wrongCreate = post("CREATE_AUDIENCE", CREATE, "00" + sign(CREATE).substring(2), null);

      for (var answer : List.of(missing, wrong, wrongCreate)) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"error\":\"invalid signature\"}");
      }
      assertThat(accepted).isEmpty();
      assertThat(ensured).isEmpty();
    }

    @Test
    void malformedOrInconsistentRequestsAre400WithTheReason() {
      start(Optional.of(signed(null, null)));
      String noMutations = "{\"Type\":\"ADD_TO_AUDIENCE\",\"Mutations\":[]}";
      String noIds =
          "{\"Type\":\"ADD_TO_AUDIENCE\",\"Mutations\":[{\"Audience\":\"a\",\"Customer\":1}]}";

      for (String notAnObject : List.of("{nope", "null", "[]", "\"ADD_TO_AUDIENCE\"")) {
        var answer = post("ADD_TO_AUDIENCE", notAnObject, sign(notAnObject), null);
        assertThat(answer.status()).as(notAnObject).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":\"malformed JSON body\"}");
      }
      assertThat(post("REMOVE_FROM_AUDIENCE", ADD, sign(ADD), null).body())
          .isEqualTo(
              "{\"error\":\"type mismatch: ?type=REMOVE_FROM_AUDIENCE but \\\"Type\\\": ADD_TO_AUDIENCE\"}");
      assertThat(post("ADD_TO_AUDIENCE", noMutations, sign(noMutations), null).body())
          .isEqualTo("{\"error\":\"Mutations is required and must not be empty\"}");
      assertThat(post(null, noIds, sign(noIds), null).body())
          .isEqualTo("{\"error\":\"Mutations[0] needs Uuid or External_user_id\"}");
      var unknown = post("DELETE_EVERYTHING", "{}", sign("{}"), null);
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.json().get("error").asText())
          .startsWith("unknown type 'DELETE_EVERYTHING'");
      assertThat(accepted).isEmpty();
    }

    @Test
    void backPressureIs429WithRetryAfter() {
      start(Optional.of(signed(null, null)));
      acceptAnswer =
          new UserSegmentUpdateResult.Retry(Duration.ofMillis(1500), "the queue is full");

      var answer = post("ADD_TO_AUDIENCE", ADD, sign(ADD), null);

      assertThat(answer.status()).isEqualTo(429);
      assertThat(answer.header("retry-after")).isEqualTo("2");
      assertThat(answer.body()).isEqualTo("{\"error\":\"the queue is full\"}");
    }
  }

  @Test
  void basicAuthWhenConfiguredComesFirst() {
    start(Optional.of(signed("mapp", "pw")));
    String good =
        "Basic " + Base64.getEncoder().encodeToString("mapp:pw".getBytes(StandardCharsets.UTF_8));
    String bad =
        "Basic " + Base64.getEncoder().encodeToString("mapp:nope".getBytes(StandardCharsets.UTF_8));

    var refused = post("ADD_TO_AUDIENCE", ADD, sign(ADD), bad);
    var missing = post("ADD_TO_AUDIENCE", ADD, sign(ADD), null);
    var ok = post("ADD_TO_AUDIENCE", ADD, sign(ADD), good);

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("www-authenticate")).startsWith("Basic");
    assertThat(refused.body()).isEqualTo("{\"error\":\"unauthorized\"}");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(ok.status()).isEqualTo(200);
  }

  @Test
  void withoutConfigurationTheEndpointSaysWhatToSet() {
    start(Optional.empty());

    var answer = post("VALIDATE", "", null, null);

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().get("error").asText()).contains("mapp.secret");
  }
}

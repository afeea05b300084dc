package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.partner.recording.RecordingPartnerConnector;
import io.audiencerelay.bootstrap.config.MappSettings;
import io.audiencerelay.bootstrap.config.RelayConfig;
import io.audiencerelay.bootstrap.config.RelayConfig.GatewaySettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled relay, started as {@code Main} starts it, driven over HTTP like the platform drives
 * it.
 */
class RelayEndToEndTest {
  static final String UPDATE =
      """
      {"feed_id":"6921","session_id":"18345","datamart_id":"1509","segment_id":"84213","operation":"UPSERT",
       "ts":1718500005000,"user_identifiers":[{"type":"USER_EMAIL","hash":"5d41402abc4b2a76b9719d911017c592"}]}
      """;

  @TempDir Path dir;
  @StartStop public final MockWebServer gatewayServer = new MockWebServer();
  final HttpClient client = HttpClient.newHttpClient();
  Main.Running relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop();
    }
  }

  RelayConfig config(Optional<GatewaySettings> gateway) {
    return TestConfigs.config(
        dir.resolve("data"),
        gateway,
        List.of(
            new Destination(
                new DestinationName("files"), "file", Map.of("directory", dir.toString())),
            new Destination(new DestinationName("memory"), "recording", Map.of())),
        Map.of(
            new io.audiencerelay.domain.FeedId("6921"),
            new io.audiencerelay.domain.FeedProperties(Map.of("destination", "files"))));
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.server().port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withStaticFeedsTheLifecycleEndsInTheDestinationsFile() throws Exception {
    relay = Main.start(config(Optional.empty()));
    String segment = "{\"feed_id\":\"6921\",\"datamart_id\":\"1509\",\"segment_id\":\"84213\"}";

    var created = post("/v1/external_segment_creation", segment);
    var connected = post("/v1/external_segment_connection", segment);
    var updated = post("/v1/user_segment_update", UPDATE);

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(created.body())
        .isEqualTo(
            "{\"status\":\"ok\",\"visibility\":\"PUBLIC\",\"message\":\"Audience 'mics_84213' (6921_mics_84213)"
                + " ready at destination 'files'\"}");
    assertThat(connected.statusCode()).isEqualTo(200);
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.body()).isEqualTo("{\"status\":\"ok\"}");
    Eventually.within(
        Duration.ofSeconds(10),
        () ->
            assertThat(Files.readString(dir.resolve("6921_mics_84213.ndjson")))
                .contains("\"op\":\"add\"")
                .contains("\"value\":\"5d41402abc4b2a76b9719d911017c592\""));
  }

  @Test
  void withAGatewayTheFeedsPropertiesChooseTheDestination() throws Exception {
    gatewayServer.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String body =
                switch (request.getUrl().encodedPath()) {
                  case "/v1/audience_segment_external_feeds/6921" ->
                      "{\"status\":\"ok\",\"data\":{\"id\":\"6921\",\"organisation_id\":\"1185\"}}";
                  case "/v1/audience_segment_external_feeds/6921/properties" ->
                      "{\"status\":\"ok\",\"count\":1,\"data\":[{\"technical_name\":\"destination\","
                          + "\"property_type\":\"STRING\",\"value\":{\"value\":\"memory\"}}]}";
                  default -> null;
                };
            return body == null
                ? new MockResponse.Builder().code(404).build()
                : new MockResponse.Builder().code(200).body(body).build();
          }
        });
    var gateway =
        new GatewaySettings(
            gatewayServer.getHostName(), gatewayServer.getPort(), "plugin-worker-1", "0123abcd");
    relay = Main.start(config(Optional.of(gateway)));

    var recording = (RecordingPartnerConnector) relay.component().partners().get("recording");
    UserIdentifier user = new UserIdentifier.UserEmail("5d41402abc4b2a76b9719d911017c592", null);

    // One after the other: sent together, the two would share a batch, where only the last change
    // per user goes.
    assertThat(post("/v1/user_segment_update", UPDATE).statusCode()).isEqualTo(200);
    Eventually.within(
        Duration.ofSeconds(10),
        () -> assertThat(recording.changes(new DestinationName("memory"))).hasSize(1));
    assertThat(post("/v1/user_segment_update", UPDATE.replace("UPSERT", "DELETE")).statusCode())
        .isEqualTo(200);

    Eventually.within(
        Duration.ofSeconds(10),
        () ->
            assertThat(recording.changes(new DestinationName("memory")))
                .extracting(change -> change.operation(), change -> change.identifiers())
                .containsExactly(
                    org.assertj.core.groups.Tuple.tuple(MembershipOperation.ADD, List.of(user)),
                    org.assertj.core.groups.Tuple.tuple(
                        MembershipOperation.REMOVE, List.of(user))));
    // Two updates, one instance context: the second came from the cache.
    assertThat(gatewayServer.getRequestCount()).isEqualTo(2);
    assertThat(Files.exists(dir.resolve("6921_mics_84213.ndjson"))).isFalse();
  }

  @Test
  void aSignedMappMutationReachesItsDestination() throws Exception {
    relay =
        Main.start(
            TestConfigs.config(
                dir.resolve("data"),
                Optional.empty(),
                List.of(new Destination(new DestinationName("memory"), "recording", Map.of())),
                Map.of(),
                Optional.of(
                    new MappSettings("s3cret", null, null, new DestinationName("memory"), false))));
    String create =
        "{\"Type\":\"CREATE_AUDIENCE\",\"Name\":\"Buyers\",\"Customer\":4711,\"Audience\":\"a1.2\"}";
    var created = postMapp("CREATE_AUDIENCE", create);
    String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    String add =
        "{\"Type\":\"ADD_TO_AUDIENCE\",\"Mutations\":[{\"Uuid\":\"u-1\",\"Audience\":\""
            + id
            + "\",\"Customer\":4711,\"Platform\":205,\"External_user_id\":\"ext-1\"}]}";

    var added = postMapp("ADD_TO_AUDIENCE", add);

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(added.statusCode()).isEqualTo(200);
    var recording = (RecordingPartnerConnector) relay.component().partners().get("recording");
    Eventually.within(
        Duration.ofSeconds(10),
        () ->
            assertThat(recording.changes(new DestinationName("memory")))
                .singleElement()
                .satisfies(
                    change -> {
                      assertThat(change.segment().segmentId().value()).isEqualTo(id);
                      assertThat(change.identifiers())
                          .contains(
                              new UserIdentifier.ExternalUserId("MAPP_EXTERNAL_USER_ID", "ext-1"));
                    }));
  }

  @Test
  void aSyncedSegmentsSenderFeedsADestination() throws Exception {
    var source =
        new io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource(
            "segment-audiences",
            "ld-token",
            new DestinationName("memory"),
            io.audiencerelay.adapters.http.in.synced.SyncedSegmentPresets.parsers()
                .get("segment-audiences"),
            null);
    RelayConfig base =
        TestConfigs.config(
            dir.resolve("data"),
            Optional.empty(),
            List.of(new Destination(new DestinationName("memory"), "recording", Map.of())),
            Map.of());
    relay =
        Main.start(
            new RelayConfig(
                base.http(),
                base.gateway(),
                base.destinations(),
                base.feeds(),
                base.logLevel(),
                base.source(),
                base.metadata(),
                base.storage(),
                base.delivery(),
                base.mapp(),
                List.of(source),
                Map.of(),
                Map.of()));
    String body =
        "{\"environmentId\":\"e\",\"contextKind\":\"user\",\"batch\":[{\"userId\":\"seg-user-1\","
            + "\"cohortId\":\"aud_2abc\",\"cohortName\":\"Trial users\",\"value\":false}]}";

    var answer =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + relay.server().port()
                            + "/api/v2/segment-targets/segment-audiences"))
                .header("Authorization", "ld-token")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(204);
    var recording = (RecordingPartnerConnector) relay.component().partners().get("recording");
    Eventually.within(
        Duration.ofSeconds(10),
        () ->
            assertThat(recording.changes(new DestinationName("memory")))
                .singleElement()
                .satisfies(
                    change -> {
                      assertThat(change.operation()).isEqualTo(MembershipOperation.REMOVE);
                      assertThat(change.identifiers())
                          .containsExactly(
                              new UserIdentifier.ExternalUserId("CONTEXT_USER", "seg-user-1"));
                    }));
  }

  private HttpResponse<String> postMapp(String type, String body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
    String signature =
        java.util.HexFormat.of()
            .formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return client.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + relay.server().port() + "/mapp/diy?type=" + type))
            .header("X-HMAC", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package io.audiencerelay.adapters.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.http.in.mapp.MappDiy;
import io.audiencerelay.adapters.http.in.mapp.MappSignature;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource;
import io.audiencerelay.application.port.in.BatchUpdateCommand;
import io.audiencerelay.application.port.in.BatchUpdateResult;
import io.audiencerelay.application.port.in.EnsureExternalAudienceUseCase;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies that are not what a route takes: JSON that is not an object, bytes that are not UTF-8, ids
 * with control characters, compressed bodies (taken when gzip or deflate, bounded once inflated,
 * refused with 415 otherwise). Each is a 4xx with a JSON body naming the problem, and nothing is
 * stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadBodiesTest {
  static final long LIMIT = 64 * 1024;
  static final String MAPP_SECRET = "mapp-secret";
  static final String SYNCED_TOKEN = "synced-token";
  static final String UPDATE =
      "{\"feed_id\":\"6921\",\"segment_id\":\"84213\",\"user_identifiers\":"
          + "[{\"type\":\"USER_POINT\",\"user_point_id\":\"u1\"}]}";
  static final List<String> FEED_POST_ROUTES =
      List.of(
          "/v1/external_segment_creation",
          "/v1/external_segment_connection",
          "/v1/user_segment_update",
          "/v1/batch_update",
          "/v1/troubleshoot",
          "/v1/authentication_status_queries",
          "/v1/authentication",
          "/v1/logout",
          "/v1/dynamic_property_values_queries",
          "/v1/test_authentication",
          "/v1/oauth_redirect_url");

  final FakeUseCases fake = new FakeUseCases();
  final List<List<MembershipChange>> external = new CopyOnWriteArrayList<>();
  TestServer server;

  @BeforeAll
  void start() {
    EnsureExternalAudienceUseCase ensure =
        (destination, segment) -> {
          throw new AssertionError("no audience is created by these tests");
        };
    MappDiy mapp =
        new MappDiy(
            MAPP_SECRET,
            null,
            null,
            new DestinationName("files"),
            false,
            (destination, changes) -> {
              external.add(changes);
              return new UserSegmentUpdateResult.Accepted();
            },
            ensure);
    SyncedSegmentSource synced =
        new SyncedSegmentSource(
            "rudderstack",
            SYNCED_TOKEN,
            new DestinationName("files"),
            io.audiencerelay.adapters.http.in.synced.SyncedSegmentPresets.parsers()
                .get("rudderstack"),
            null);
    server =
        new TestServer(
            fake.asUseCases(),
            new LogLevels(),
            LIMIT,
            HttpObserver.NONE,
            Optional.of(mapp),
            List.of(synced),
            (destination, changes) -> {
              external.add(changes);
              return new UserSegmentUpdateResult.Accepted();
            });
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    fake.lastCommand.set(null);
    fake.lines.clear();
    external.clear();
    fake.update = new UserSegmentUpdateResult.Accepted();
    fake.batch = new BatchUpdateResult.Sent(1, 0, null);
  }

  TestServer.Answer postBytes(String path, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return server.send(request);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code text} with {@code marker} replaced by the raw bytes given. */
  static byte[] withRawBytes(String text, String marker, int... raw) {
    int at = text.indexOf(marker);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes(text.substring(0, at)));
    for (int b : raw) {
      out.write(b);
    }
    out.writeBytes(bytes(text.substring(at + marker.length())));
    return out.toByteArray();
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
      deflate.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "42", "-1.5", "\"text\"", "[]", "[{\"feed_id\":\"1\"}]", "true"})
  void jsonThatIsNotAnObjectIsA400NamingWhatItIsOnEveryFeedRoute(String body) {
    String kind =
        switch (body.charAt(0)) {
          case 'n' -> "null";
          case '"' -> "a string";
          case '[' -> "an array";
          case 't' -> "a boolean";
          default -> "a number";
        };
    for (String route : FEED_POST_ROUTES) {
      var answer = server.post(route, body);

      assertThat(answer.status()).as(route).isEqualTo(400);
      assertThat(answer.json().path("error").asText())
          .as(route)
          .isEqualTo("The body must be a JSON object, not " + kind);
    }
    assertThat(fake.lastCommand.get()).isNull();
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedInJsonTermsWithoutJavaTypes() {
    var answer = server.post("/v1/external_segment_creation", "{\"feed_id\":{\"a\":1}}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("message").asText())
        .isEqualTo("Invalid field 'feed_id': expected a string");
    var list = server.post("/v1/batch_update", "{\"batch_content\":7,\"context\":{}}");
    assertThat(list.status()).isEqualTo(400);
    assertThat(list.body()).doesNotContain("java.", "io.audiencerelay");
  }

  @Test
  void invalidUtf8InAKeyOrAValueOfASingleUpdateIsA400() {
    // "feed" 0xFF "_id": once read leniently as if it named feed_id.
    var inKey = postBytes("/v1/user_segment_update", withRawBytes(UPDATE, "_id\":\"6921", 0xff));
    var inValue =
        postBytes(
            "/v1/user_segment_update",
            withRawBytes(UPDATE, "u1", 'u', 0xc3)); // a lead byte without its continuation
    var overlong =
        postBytes("/v1/user_segment_update", withRawBytes(UPDATE, "u1", 0xc0, 0xaf)); // "/"
    var surrogate =
        postBytes("/v1/user_segment_update", withRawBytes(UPDATE, "u1", 0xed, 0xa0, 0x80));

    for (var answer : List.of(inKey, inValue, overlong, surrogate)) {
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().path("error").asText()).startsWith("The body is not valid UTF-8");
    }
    assertThat(inKey.json().path("error").asText())
        .isEqualTo(
            "The body is not valid UTF-8: byte 0xFF at offset 6 does not belong to a character");
    assertThat(fake.lastCommand.get()).isNull();
  }

  @Test
  void invalidUtf8InABatchUpdateIsA400() {
    String batch =
        "{\"batch_content\":[{\"operation\":\"UPSERT\",\"user_identifiers\":"
            + "[{\"type\":\"USER_POINT\",\"user_point_id\":\"uX\"}]}],"
            + "\"context\":{\"feed_id\":\"6921\",\"segment_id\":\"84213\"}}";

    var answer = postBytes("/v1/batch_update", withRawBytes(batch, "X", 0xfe));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).startsWith("The body is not valid UTF-8");
    assertThat(fake.lastCommand.get()).isNull();
  }

  @Test
  void aLineOfTheFileFormThatIsNotUtf8FailsAloneAndTheOthersAreTaken() {
    String good = UPDATE;
    byte[] bad = withRawBytes(UPDATE, "u1", 0xff);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(bytes(good + "\n"));
    body.writeBytes(bad);
    body.writeBytes(bytes("\r\n" + good.replace("u1", "é") + "\n"));

    var answer =
        postBytes(
            "/v1/user_segment_update", body.toByteArray(), "Content-Type", "application/x-ndjson");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("accepted").asInt()).isEqualTo(2);
    assertThat(answer.json().path("failed").asInt()).isEqualTo(1);
    assertThat(answer.json().path("errors").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(answer.json().path("errors").get(0).path("message").asText())
        .startsWith("Not valid UTF-8: byte 0xFF at column");
    List<UpdateUserSegmentCommand> taken = fake.lines.getFirst();
    assertThat(taken.get(1).identifiers().getFirst().value()).isEqualTo("é");
  }

  @Test
  void aFileFormWhoseOnlyLineIsNotUtf8IsA400() {
    var answer =
        postBytes(
            "/v1/user_segment_update",
            withRawBytes(UPDATE, "u1", 0x80),
            "Content-Type",
            "application/x-ndjson");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("status").asText()).isEqualTo("error");
    assertThat(fake.lines).isEmpty();
  }

  @Test
  void invalidUtf8IsRefusedByMappAndSyncedSegmentsInTheirOwnShapes() {
    byte[] add =
        withRawBytes(
            "{\"Type\":\"ADD_TO_AUDIENCE\",\"Mutations\":[{\"Uuid\":\"uX\",\"Audience\":\"a\","
                + "\"Customer\":1}]}",
            "X",
            0xff);
    var mapp =
        postBytes(
            "/mapp/diy?type=ADD_TO_AUDIENCE",
            add,
            "X-HMAC",
            new MappSignature(MAPP_SECRET).of(add));
    byte[] rudder =
        withRawBytes(
            "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"cohortName\":\"n\","
                + "\"listData\":{\"add\":[{\"id\":\"aX\"}]}}",
            "X",
            0xc3,
            0x28);
    var synced =
        postBytes("/api/v2/segment-targets/rudderstack", rudder, "Authorization", SYNCED_TOKEN);

    assertThat(mapp.status()).isEqualTo(400);
    assertThat(mapp.json().path("error").asText()).startsWith("The body is not valid UTF-8");
    assertThat(synced.status()).isEqualTo(400);
    assertThat(synced.json().path("code").asText()).isEqualTo("invalid_request");
    assertThat(synced.json().path("message").asText()).startsWith("The body is not valid UTF-8");
    assertThat(external).isEmpty();
  }

  @Test
  void controlCharactersInIdsAreRefusedBeforeAnythingIsStored() {
    var single = server.post("/v1/user_segment_update", UPDATE.replace("\"u1\"", "\"u\\u00001\""));
    var segment = server.post("/v1/user_segment_update", UPDATE.replace("84213", "842\\u000713"));
    var line =
        postBytes(
            "/v1/user_segment_update",
            bytes(UPDATE.replace("\"u1\"", "\"u\\u00001\"") + "\n"),
            "Content-Type",
            "application/x-ndjson");
    String mappBody =
        "{\"Type\":\"ADD_TO_AUDIENCE\",\"Mutations\":[{\"Uuid\":\"u\\u0000\",\"Audience\":\"a\","
            + "\"Customer\":1}]}";
    var mapp =
        postBytes(
            "/mapp/diy?type=ADD_TO_AUDIENCE",
            bytes(mappBody),
            "X-HMAC",
            new MappSignature(MAPP_SECRET).of(bytes(mappBody)));
    var synced =
        postBytes(
            "/api/v2/segment-targets/rudderstack",
            bytes(
                "{\"environmentId\":\"e\",\"cohortId\":\"c\",\"cohortName\":\"n\","
                    + "\"listData\":{\"add\":[{\"id\":\"a\\u0000\"}]}}"),
            "Authorization",
            SYNCED_TOKEN);

    assertThat(single.status()).isEqualTo(400);
    assertThat(single.json().path("message").asText())
        .isEqualTo(
            "user_point_id must not contain control characters (found U+0000 at position 1)");
    assertThat(segment.status()).isEqualTo(400);
    assertThat(segment.json().path("message").asText())
        .startsWith("segment_id must not contain control characters (found U+0007");
    assertThat(line.status()).isEqualTo(400);
    assertThat(line.json().path("errors").get(0).path("message").asText())
        .contains("must not contain control characters");
    assertThat(mapp.status()).isEqualTo(400);
    assertThat(mapp.json().path("error").asText()).contains("must not contain control characters");
    assertThat(synced.status()).isEqualTo(400);
    assertThat(synced.json().path("message").asText())
        .contains("must not contain control characters");
    assertThat(fake.lastCommand.get()).isNull();
    assertThat(fake.lines).isEmpty();
    assertThat(external).isEmpty();
  }

  @Test
  void gzipAndDeflateBodiesAreInflatedAsTheSdkDoes() {
    var gzipped =
        postBytes("/v1/user_segment_update", gzip(bytes(UPDATE)), "Content-Encoding", "gzip");
    UpdateUserSegmentCommand fromGzip = fake.last();
    var deflated =
        postBytes("/v1/user_segment_update", deflate(bytes(UPDATE)), "Content-Encoding", "deflate");
    UpdateUserSegmentCommand fromDeflate = fake.last();
    String batch =
        "{\"batch_content\":[{\"operation\":\"UPSERT\",\"user_identifiers\":"
            + "[{\"type\":\"USER_POINT\",\"user_point_id\":\"u9\"}]}],"
            + "\"context\":{\"feed_id\":\"6921\",\"segment_id\":\"84213\"}}";
    var batched = postBytes("/v1/batch_update", gzip(bytes(batch)), "Content-Encoding", "x-gzip");
    BatchUpdateCommand fromBatch = fake.last();
    var lines =
        postBytes(
            "/v1/user_segment_update",
            gzip(bytes(UPDATE + "\n" + UPDATE + "\n")),
            "Content-Encoding",
            "gzip",
            "Content-Type",
            "application/x-ndjson");

    assertThat(gzipped.status()).isEqualTo(200);
    assertThat(fromGzip.identifiers().getFirst().value()).isEqualTo("u1");
    assertThat(deflated.status()).isEqualTo(200);
    assertThat(fromDeflate.identifiers().getFirst().value()).isEqualTo("u1");
    assertThat(batched.status()).isEqualTo(200);
    assertThat(fromBatch.items().getFirst().identifiers().getFirst().value()).isEqualTo("u9");
    assertThat(lines.json().path("accepted").asInt()).isEqualTo(2);
  }

  @Test
  void theSizeLimitAppliesToTheInflatedBytesSoACompressionBombIs413() {
    // 10 MB of blanks inside a valid object compress to about 10 KB, far under the 64 KB limit.
    byte[] bomb = new byte[10 << 20];
    java.util.Arrays.fill(bomb, (byte) ' ');
    bomb[0] = '{';
    bomb[bomb.length - 1] = '}';
    byte[] compressed = gzip(bomb);
    assertThat(compressed.length).isLessThan((int) LIMIT);

    var single = postBytes("/v1/user_segment_update", compressed, "Content-Encoding", "gzip");
    var lines =
        postBytes(
            "/v1/user_segment_update",
            compressed,
            "Content-Encoding",
            "gzip",
            "Content-Type",
            "application/x-ndjson");
    var mapp = postBytes("/mapp/diy?type=ADD_TO_AUDIENCE", compressed, "Content-Encoding", "gzip");

    assertThat(single.status()).isEqualTo(413);
    assertThat(single.json().path("error").asText())
        .isEqualTo("Request body larger than " + LIMIT + " bytes");
    assertThat(lines.status()).isEqualTo(413);
    assertThat(mapp.status()).isEqualTo(413);
    assertThat(mapp.json().path("error").asText()).startsWith("Request body larger than");
  }

  @Test
  void anEncodingTheRelayDoesNotSupportIs415AndABrokenGzipIs400() {
    var brotli = postBytes("/v1/user_segment_update", bytes(UPDATE), "Content-Encoding", "br");
    var broken = postBytes("/v1/user_segment_update", bytes(UPDATE), "Content-Encoding", "gzip");
    byte[] truncated = gzip(bytes(UPDATE));
    var cut =
        postBytes(
            "/v1/user_segment_update",
            java.util.Arrays.copyOf(truncated, truncated.length - 12),
            "Content-Encoding",
            "gzip");

    assertThat(brotli.status()).isEqualTo(415);
    assertThat(brotli.json().path("error").asText())
        .isEqualTo("Unsupported Content-Encoding (the relay takes gzip, deflate or identity)");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.json().path("error").asText()).startsWith("The body is not valid gzip data");
    assertThat(cut.status()).isEqualTo(400);
    assertThat(cut.json().path("error").asText()).startsWith("The body is not valid gzip data");
    assertThat(fake.lastCommand.get()).isNull();
    // The server still serves after each of them.
    assertThat(server.post("/v1/user_segment_update", UPDATE).status()).isEqualTo(200);
  }
}

package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LinkedIn login run by the assembled relay over HTTP, LinkedIn played by MockWebServer: login
 * URL, callback, encrypted storage, delivery with the grant, logout.
 */
class OAuthEndToEndTest {
  @TempDir Path dir;
  @StartStop final MockWebServer linkedin = new MockWebServer();
  final HttpClient client = HttpClient.newHttpClient();
  final List<String> bearers = new CopyOnWriteArrayList<>();
  Main.Running relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop();
    }
  }

  @Test
  void aMemberLogsInTheRelayDeliversWithTheGrantAndForgetsItOnLogout() throws Exception {
    linkedin.setDispatcher(new FakeLinkedIn());
    relay =
        Main.start(
            TestConfigs.config(
                dir.resolve("data"),
                Optional.empty(),
                List.of(
                    new Destination(
                        new DestinationName("b2b"),
                        "linkedin",
                        Map.of(
                            "client_id", "app-123",
                            "client_secret", "s3cret",
                            "redirect_uri", "https://navigator.example/cb",
                            "oauth_user_id", "2291",
                            "ad_account_id", "507",
                            "oauth_url", linkedin.url("/oauth/v2").toString(),
                            "base_url", linkedin.url("/rest").toString()))),
                Map.of()));

    var login = post("/v1/oauth_redirect_url", "{\"feed_destination_id\":\"318\"}");
    assertThat(login.statusCode()).isEqualTo(200);
    Matcher state = Pattern.compile("state=([A-Za-z0-9_-]+)").matcher(login.body());
    assertThat(state.find()).isTrue();
    String callback =
        "{\"user_id\":\"2291\",\"plugin_version_id\":\"4410\",\"feed_destination_id\":\"318\",\"params\":{\"code\":\"AQT-code\",\"state\":\""
            + state.group(1)
            + "\"}}";

    var connected = post("/v1/authentication", callback);
    var replayed = post("/v1/authentication", callback);
    var status = post("/v1/authentication_status_queries", statusQuery());
    var update =
        post(
            "/v1/user_segment_update",
            "{\"feed_id\":\"6921\",\"segment_id\":\"84213\",\"operation\":\"UPSERT\",\"user_identifiers\":"
                + "[{\"type\":\"USER_EMAIL\",\"email\":\"jane@example.com\"}]}");

    assertThat(connected.body())
        .isEqualTo("{\"status\":\"ok\",\"message\":\"Connected to the linkedin account\"}");
    assertThat(replayed.statusCode()).isEqualTo(500);
    assertThat(replayed.body()).contains("already used");
    assertThat(status.body()).startsWith("{\"status\":\"authenticated\"");
    assertThat(update.statusCode()).isEqualTo(200);
    Eventually.within(
        Duration.ofSeconds(20), () -> assertThat(bearers).contains("Bearer AQV-from-code"));
    assertThat(get("/metrics")).contains("relay_oauth_consents_ending 0.0");
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(
                new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain("AQV-from-code")
            .doesNotContain("AQX-from-code");
      }
    }

    assertThat(
            post(
                    "/v1/logout",
                    "{\"user_id\":\"2291\",\"plugin_version_id\":\"4410\",\"datamart_id\":\"1509\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/authentication_status_queries", statusQuery()).body())
        .startsWith("{\"status\":\"not_authenticated\"");
  }

  private static String statusQuery() {
    return "{\"datamart_id\":\"1509\",\"plugin_version_id\":\"4410\",\"user_id\":\"2291\"}";
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.server().port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String get(String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.server().port() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Just enough of LinkedIn: the token endpoint and a segment that is ready at once. */
  private final class FakeLinkedIn extends Dispatcher {
    /** The documented shape: the state lives in the segment's LINKEDIN destination. */
    static final String SEGMENT =
        "{\"id\":4242,\"name\":\"mics_84213\",\"type\":\"USER\",\"sourcePlatform\":\"STREAMING\","
            + "\"account\":\"urn:li:sponsoredAccount:507\","
            + "\"destinations\":[{\"destination\":\"LINKEDIN\",\"status\":\"READY\"}]}";

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      if (path.equals("/oauth/v2/accessToken")) {
        return json(
            "{\"access_token\":\"AQV-from-code\",\"expires_in\":5184000,"
                + "\"refresh_token\":\"AQX-from-code\",\"refresh_token_expires_in\":31536000}");
      }
      if (path.endsWith("/users")) {
        bearers.add(request.getHeaders().get("Authorization"));
        return json("{\"elements\":[{\"status\":201}]}");
      }
      if (path.equals("/rest/dmpSegments") && request.getMethod().equals("GET")) {
        return json(
            "{\"paging\":{\"start\":0,\"count\":100,\"total\":1},\"elements\":[" + SEGMENT + "]}");
      }
      return json(SEGMENT);
    }

    private static MockResponse json(String body) {
      return new MockResponse.Builder()
          .addHeader("Content-Type", "application/json")
          .body(body)
          .build();
    }
  }
}

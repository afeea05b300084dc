package io.audiencerelay.adapters.http.in.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.FakeUseCases;
import io.audiencerelay.adapters.http.in.HttpObserver;
import io.audiencerelay.adapters.http.in.HttpSettings;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.NetworkAllowList;
import io.audiencerelay.adapters.http.in.RelayHttpServer;
import io.audiencerelay.application.delivery.DestinationPauses;
import io.audiencerelay.application.fakes.AdminFixture;
import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.service.admin.DeliveryActivity;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin listener on a real server: who may use it, its API, the console's files. */
class AdminListenerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final DestinationName ADS = new DestinationName("ads");
  static final String TOKEN = "s3cret-admin-token-0123";

  final AdminFixture fixture = new AdminFixture(1000);
  final Relay relay = fixture.relay;
  final InMemoryDeliveryQueue queue = fixture.queue;
  final DestinationPauses pauses = fixture.pauses;
  final DeliveryActivity activity = fixture.activity;
  final HttpClient client = HttpClient.newHttpClient();
  final List<WebServer> servers = new ArrayList<>();
  WebServer server;

  @AfterEach
  void stop() {
    servers.forEach(WebServer::stop);
  }

  void start(AdminSettings settings, NetworkAllowList allowed) {
    var useCases =
        new AdminUseCases(
            fixture.health,
            fixture.deadLetters,
            fixture.deadLetters,
            fixture.deadLetters,
            fixture.pauseService,
            fixture.pauseService,
            fixture.grants);
    server =
        RelayHttpServer.create(
                new HttpSettings("127.0.0.1", 0, 1 << 20, Duration.ofMillis(100)),
                new FakeUseCases().asUseCases(),
                JSON,
                new LogLevels(),
                Map.of(),
                new HttpObserver() {
                  @Override
                  public void request(String method, String route, int status, long nanos) {}

                  @Override
                  public String scrape() {
                    return "relay_up 1\n";
                  }
                },
                Optional.empty(),
                List.of(),
                (destination, changes) -> {
                  throw new IllegalStateException("not in this test");
                },
                java.time.Clock.systemUTC(),
                false,
                allowed,
                Optional.of(new AdminListener(settings, useCases)))
            .start();
    servers.add(server);
  }

  void start(AdminSettings settings) {
    start(settings, NetworkAllowList.EVERYONE);
  }

  static AdminSettings loopback() {
    return new AdminSettings("127.0.0.1", 0, null, null, null, false);
  }

  HttpResponse<String> admin(String method, String path, String body, String... headers) {
    return call(server.port(RelayHttpServer.ADMIN_SOCKET), method, path, body, headers);
  }

  HttpResponse<String> protocol(String path) {
    return call(server.port(), "GET", path, null);
  }

  HttpResponse<String> call(int port, String method, String path, String body, String... headers) {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new IllegalStateException(response.body(), e);
    }
  }

  void die(DestinationName destination, String error, int count) {
    fixture.die(destination, error, count);
  }

  @Test
  void boundBeyondLoopbackWithoutCredentialsItRefusesEveryRequest() {
    start(new AdminSettings("0.0.0.0", 0, null, null, null, false));

    for (String path :
        List.of("/admin/", "/admin/api/destinations", "/admin/api/dead_letters", "/metrics")) {
      var answer = admin("GET", path, null);
      assertThat(answer.statusCode()).as(path).isEqualTo(403);
      assertThat(json(answer).path("error").asText())
          .contains("without credentials, so it answers nobody");
    }
    assertThat(admin("POST", "/admin/api/dead_letters/discard", "{}").statusCode()).isEqualTo(403);
  }

  @Test
  void withCredentialsOnlyTheTokenOrTheBasicUserGetIn() {
    start(new AdminSettings("0.0.0.0", 0, TOKEN, "ops", "pass-word", false));

    var none = admin("GET", "/admin/api/destinations", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    assertThat(json(none).toString()).doesNotContain(TOKEN).doesNotContain("pass-word");
    assertThat(
            admin("GET", "/admin/api/destinations", null, "Authorization", "Bearer wrong")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            admin("GET", "/admin/api/destinations", null, "Authorization", basic("ops", "nope"))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            admin("GET", "/admin/api/destinations", null, "Authorization", "Bearer " + TOKEN)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            admin(
                    "GET",
                    "/admin/api/destinations",
                    null,
                    "Authorization",
                    basic("ops", "pass-word"))
                .statusCode())
        .isEqualTo(200);
    assertThat(admin("GET", "/admin/", null, "Authorization", basic("anyone", TOKEN)).statusCode())
        .isEqualTo(200);
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void destinationsShowStateDepthAndDeadLetters() {
    start(loopback());
    die(ADS, "rejected: invalid audience", 2);
    queue.enqueue(new DestinationName("hook"), List.of(DomainFixtures.add("x")));
    activity.problem(
        new DestinationName("hook"), "HTTP 503", relay.clock.instant().plusSeconds(60), false);

    var answer = json(admin("GET", "/admin/api/destinations", null));

    JsonNode ads = answer.path("destinations").path(0);
    JsonNode hook = answer.path("destinations").path(1);
    assertThat(ads.path("name").asText()).isEqualTo("ads");
    assertThat(ads.path("dead_letters").asLong()).isEqualTo(2);
    assertThat(ads.path("state").asText()).isEqualTo("idle");
    assertThat(hook.path("state").asText()).isEqualTo("backing_off");
    assertThat(hook.path("stuck").asBoolean()).isTrue();
    assertThat(hook.path("queue_depth").asLong()).isEqualTo(1);
    assertThat(hook.path("last_error").asText()).isEqualTo("HTTP 503");
    assertThat(hook.path("history")).hasSize(60);
  }

  @Test
  void deadLettersAreListedRequeuedAndDiscardedWithACount() {
    start(loopback());
    die(ADS, "rejected: invalid audience", 3);
    die(new DestinationName("hook"), "gave up after retries: HTTP 503", 1);

    var listed = json(admin("GET", "/admin/api/dead_letters?destination=ads&limit=2", null));
    assertThat(listed.path("total").asLong()).isEqualTo(3);
    assertThat(listed.path("dead_letters")).hasSize(2);
    assertThat(listed.path("dead_letters").path(0).path("reason").asText())
        .isEqualTo("rejected: invalid audience");
    assertThat(listed.path("dead_letters").path(0).path("segment_id").asText()).isEqualTo("84213");

    var requeued = admin("POST", "/admin/api/dead_letters/requeue", "{\"destination\":\"ads\"}");
    assertThat(requeued.statusCode()).isEqualTo(200);
    assertThat(json(requeued).path("count").asLong()).isEqualTo(3);
    assertThat(queue.queued()).hasSize(3);

    var discarded = admin("POST", "/admin/api/dead_letters/discard", "{\"reason\":\"HTTP 503\"}");
    assertThat(json(discarded).path("count").asLong()).isEqualTo(1);
    assertThat(queue.dead).isEmpty();

    die(new DestinationName("hook"), "rejected", 2); // ads' queued changes would die too
    var all = admin("POST", "/admin/api/dead_letters/discard", "{}");
    assertThat(json(all).path("count").asLong()).isEqualTo(2);
  }

  @Test
  void badActionsAreClientErrorsThatSayWhatIsWrong() {
    start(loopback());

    var unknownField = admin("POST", "/admin/api/dead_letters/requeue", "{\"segmnt\":\"1\"}");
    var unknownDestination = admin("POST", "/admin/api/destinations/nope/pause", "{}");
    var notJson =
        call(
            server.port(RelayHttpServer.ADMIN_SOCKET),
            "POST",
            "/admin/api/dead_letters/discard",
            null,
            "Content-Type",
            "text/plain");
    var crossSite =
        admin("POST", "/admin/api/dead_letters/discard", "{}", "Sec-Fetch-Site", "cross-site");
    var badLimit = admin("GET", "/admin/api/dead_letters?limit=0", null);
    var malformed = admin("POST", "/admin/api/dead_letters/discard", "{");

    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(json(unknownField).toString()).contains("segmnt: unknown field");
    assertThat(unknownDestination.statusCode()).isEqualTo(404);
    assertThat(json(unknownDestination).path("error").asText())
        .isEqualTo("No destination 'nope' is configured (configured: ads, hook)");
    assertThat(notJson.statusCode()).isEqualTo(415);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(malformed.statusCode()).isEqualTo(400);
  }

  @Test
  void pauseAndResumeAreAnsweredAndSeenByTheWorkers() {
    start(loopback());

    var paused = admin("POST", "/admin/api/destinations/ads/pause", "{}");

    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(pauses.paused(ADS)).isTrue();
    assertThat(
            json(admin("GET", "/admin/api/destinations", null))
                .path("destinations")
                .path(0)
                .path("paused_by")
                .asText())
        .isEqualTo("loopback");
    admin("POST", "/admin/api/destinations/ads/resume", "{}");
    assertThat(pauses.paused(ADS)).isFalse();
  }

  @Test
  void metricsMoveToTheAdminListenerUnlessKeptOnTheProtocolPort() {
    start(loopback());
    assertThat(admin("GET", "/metrics", null).body()).isEqualTo("relay_up 1\n");
    assertThat(protocol("/metrics").statusCode()).isEqualTo(404);

    start(new AdminSettings("127.0.0.1", 0, null, null, null, true));
    assertThat(protocol("/metrics").body()).isEqualTo("relay_up 1\n");
  }

  @Test
  void theConsoleIsServedWithItsOwnFilesOnly() {
    start(loopback());

    var page = admin("GET", "/admin/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(page.body()).contains("<table id=\"destinations\">");
    assertThat(admin("GET", "/admin/console.js", null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/..%2Fadmin%2Findex.html", null).statusCode()).isEqualTo(404);
    assertThat(admin("GET", "/", null).statusCode()).isEqualTo(302);
  }

  @Test
  void theProtocolPortAnswersOnlyTheAllowedNetworks() {
    start(loopback(), new NetworkAllowList(List.of(NetworkAllowList.Block.parse("10.0.0.0/8"))));

    var refused = protocol("/v1/status");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused).path("error").asText()).contains("server.allowed_networks");

    start(loopback(), new NetworkAllowList(List.of(NetworkAllowList.Block.parse("127.0.0.0/8"))));
    assertThat(protocol("/v1/status").statusCode()).isNotEqualTo(403);
  }
}

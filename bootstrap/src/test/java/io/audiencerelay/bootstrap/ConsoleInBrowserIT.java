package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser, against the packaged jar: a destination whose partner answers 503
 * shows as stuck, dead letters are listed, requeued with a confirmation and then delivered to a
 * local fake partner, and a paused destination keeps accepting and holds its deliveries. Saves the
 * screenshot the README shows ({@code RELAY_UPDATE_SCREENSHOT=1 ./relay test} refreshes it). Runs
 * after the jar is built ({@code ./relay test}).
 */
class ConsoleInBrowserIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dir;
  @StartStop final MockWebServer partner = new MockWebServer();
  final HttpClient client = HttpClient.newHttpClient();

  /** What the partner answered: "path status". */
  final List<String> answered = new CopyOnWriteArrayList<>();

  volatile int crmStatus = 400;
  Process relay;
  int port;
  int adminPort;

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.destroy();
      if (!relay.waitFor(20, TimeUnit.SECONDS)) {
        relay.destroyForcibly();
      }
    }
  }

  @Test
  void anOperatorSeesTheStuckDestinationRequeuesDeadLettersAndPauses() throws Exception {
    Optional<Path> browser = Chromium.find();
    if (browser.isEmpty()) {
      java.util.logging.Logger.getLogger(ConsoleInBrowserIT.class.getName())
          .warning(
              "*** ConsoleInBrowserIT SKIPPED: no Chromium (install Debian's 'chromium' package, or"
                  + " set CHROMIUM). The console is NOT tested in a browser. ***");
    }
    Assumptions.assumeTrue(browser.isPresent(), "Chromium is not installed");
    startPartner();
    startRelay();

    for (int user = 1; user <= 3; user++) {
      assertThat(update("1", "crm-user-" + user).statusCode()).isEqualTo(200);
    }
    assertThat(update("2", "flaky-user").statusCode()).isEqualTo(200);
    assertThat(update("3", "file-user-1").statusCode()).isEqualTo(200);
    Eventually.within(
        PATIENCE,
        () -> {
          JsonNode destinations = api("destinations").path("destinations");
          assertThat(destinations.path(0).path("dead_letters").asLong()).isEqualTo(3);
          assertThat(destinations.path(1).path("stuck").asBoolean()).isTrue();
        });

    try (Chromium chromium = new Chromium(browser.get())) {
      chromium.open("http://127.0.0.1:" + adminPort + "/admin/");
      chromium.waitFor(
          "!!document.querySelector('tr[data-destination=\"flaky\"] .badge.stuck')", PATIENCE);
      chromium.waitFor(
          "document.querySelector('tr[data-destination=\"flaky\"] .state').textContent"
              + ".includes('backing off')",
          PATIENCE);
      chromium.waitFor(
          "document.querySelector('#dead-summary').textContent.startsWith('3 dead letter(s)')",
          PATIENCE);
      chromium.waitFor("document.querySelectorAll('#charts .chart').length === 3", PATIENCE);
      assertThat(
              chromium
                  .evaluate(
                      "[...document.querySelectorAll('button, input, select')].filter(e =>"
                          + " !(e.labels && e.labels.length) && !e.getAttribute('aria-label') &&"
                          + " !e.textContent.trim()).length")
                  .asInt())
          .as("controls without an accessible name")
          .isZero();
      chromium.screenshot(screenshots().resolve("console.png"));

      chromium.viewport(390, 844, true);
      chromium.waitFor("document.documentElement.scrollWidth <= window.innerWidth + 1", PATIENCE);
      chromium.viewport(1280, 900, false);

      // The partner is fixed: requeue, with the confirmation.
      crmStatus = 200;
      chromium.evaluate("document.querySelector('#requeue').click()");
      chromium.waitFor("document.querySelector('#confirm').open", PATIENCE);
      assertThat(chromium.evaluate("document.querySelector('#confirm-text').textContent").asText())
          .startsWith("Requeue 3 dead letter(s)");
      chromium.evaluate("document.querySelector('#confirm-yes').click()");
      chromium.waitFor(
          "document.querySelector('#status').textContent === '3 dead letter(s) requeued'",
          PATIENCE);
      Eventually.within(
          PATIENCE,
          () ->
              assertThat(answered.stream().filter(a -> a.startsWith("/crm/") && a.endsWith(" 200")))
                  .hasSize(1)); // the three changes of one segment go in one webhook batch
      chromium.waitFor(
          "document.querySelector('#dead-summary').textContent === 'No dead letter matches.'",
          PATIENCE);

      // Pause the healthy destination: updates are still accepted, and held.
      chromium.evaluate("document.querySelector('tr[data-destination=\"files\"] button').click()");
      chromium.waitFor("document.querySelector('#confirm').open", PATIENCE);
      chromium.evaluate("document.querySelector('#confirm-yes').click()");
      chromium.waitFor(
          "document.querySelector('tr[data-destination=\"files\"] .state').textContent"
              + ".includes('paused')",
          PATIENCE);
      assertThat(update("3", "file-user-2").statusCode()).isEqualTo(200);
      Eventually.within(
          PATIENCE,
          () ->
              assertThat(
                      api("destinations").path("destinations").path(2).path("queue_depth").asLong())
                  .isEqualTo(1));
      assertThat(delivered("file-user-2")).isFalse();
      chromium.evaluate("document.querySelector('tr[data-destination=\"files\"] button').click()");
      Eventually.within(PATIENCE, () -> assertThat(delivered("file-user-2")).isTrue());
    }
  }

  void startPartner() {
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            int status = path.startsWith("/crm/") ? crmStatus : 503;
            answered.add(path + " " + status);
            var response = new MockResponse.Builder().code(status).body("{}");
            if (status == 503) {
              response.setHeader("Retry-After", "300");
            }
            return response.build();
          }
        });
  }

  void startRelay() throws Exception {
    port = freePort();
    adminPort = freePort();
    String base = partner.url("/").toString();
    Path config =
        Files.writeString(
            dir.resolve("relay.yaml"),
            """
            server: {host: 127.0.0.1}
            storage: {data_dir: '%s'}
            delivery: {linger_ms: 0, max_attempts: 50}
            destinations:
              crm: {type: webhook, url: '%scrm/{audience}'}
              flaky: {type: webhook, url: '%sflaky/{audience}'}
              files: {type: file, directory: '%s'}
            feeds:
              "1": {properties: {destination: crm}}
              "2": {properties: {destination: flaky}}
              "3": {properties: {destination: files}}
            """
                .formatted(dir.resolve("data"), base, base, dir.resolve("out")));
    Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/audience-relay.jar");
    assertThat(jar).as("the packaged jar (./relay test builds it before this test)").exists();
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toAbsolutePath().toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("relay.log").toFile());
    builder.environment().put("RELAY_CONFIG", config.toString());
    builder.environment().put("PLUGIN_PORT", Integer.toString(port));
    builder.environment().put("ADMIN_PORT", Integer.toString(adminPort));
    relay = builder.start();
    Eventually.within(
        PATIENCE,
        () -> {
          assertThat(relay.isAlive()).as(Files.readString(dir.resolve("relay.log"))).isTrue();
          assertThat(
                  client
                      .send(
                          HttpRequest.newBuilder(URI.create(url(port, "/v1/status"))).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode())
              .isEqualTo(200);
        });
  }

  HttpResponse<String> update(String feed, String user) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url(port, "/v1/user_segment_update")))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    """
                    {"feed_id": "%s", "session_id": "1", "datamart_id": "1509", "segment_id": "84213",
                     "ts": 1718500000000, "operation": "UPSERT",
                     "user_identifiers": [{"type": "USER_POINT", "user_point_id": "%s"}]}
                    """
                        .formatted(feed, user)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode api(String path) throws Exception {
    return JSON.readTree(
        client
            .send(
                HttpRequest.newBuilder(URI.create(url(adminPort, "/admin/api/" + path))).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  boolean delivered(String user) throws Exception {
    Path out = dir.resolve("out");
    if (!Files.isDirectory(out)) {
      return false;
    }
    try (var files = Files.list(out)) {
      for (Path file : files.toList()) {
        if (Files.readString(file).contains(user)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Where the screenshot goes: {@code docs/} (the README's) with {@code RELAY_UPDATE_SCREENSHOT=1},
   * else {@code target/}, so an ordinary test run leaves the working tree as it was.
   */
  static Path screenshots() {
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    return "1".equals(System.getenv("RELAY_UPDATE_SCREENSHOT"))
        ? module.getParent().resolve("docs")
        : module.resolve("target");
  }

  static String url(int port, String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

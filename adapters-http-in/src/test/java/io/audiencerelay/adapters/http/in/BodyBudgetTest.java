package io.audiencerelay.adapters.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.in.CheckHealthUseCase;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes of bodies held at once are bounded: past the bound a request is answered "retry" before
 * its body is read, and the room comes back when a request ends. And the status route says when the
 * relay can no longer store what it answers.
 */
class BodyBudgetTest {
  static final long MAX_BODY = 64 * 1024;
  static final long IN_FLIGHT = 100 * 1024;

  final FakeUseCases fake = new FakeUseCases();
  final HttpClient client = HttpClient.newHttpClient();
  WebServer server;

  void start() {
    server =
        RelayHttpServer.create(
                new HttpSettings("127.0.0.1", 0, MAX_BODY, Duration.ofMillis(100), IN_FLIGHT),
                fake.asUseCases(),
                TestServer.MAPPER,
                new LogLevels(),
                Map.of(),
                HttpObserver.NONE,
                Optional.empty(),
                List.of(),
                (destination, changes) -> new UserSegmentUpdateResult.Accepted(),
                java.time.Clock.systemUTC(),
                false)
            .start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  CompletableFuture<HttpResponse<String>> post(String body) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/batch_update"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A batch_update body of about {@code bytes} bytes. */
  static String batchOf(int bytes) {
    String head =
        "{\"context\":{\"feed_id\":\"6921\",\"segment_id\":\"84213\"},\"batch_content\":[\"";
    return head + "x".repeat(bytes - head.length() - 3) + "\"]}";
  }

  @Test
  void aBodyThatWouldPassTheBoundIsAskedToRetryUntilRoomComesBack() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fake.batch = new io.audiencerelay.application.port.in.BatchUpdateResult.Sent(0, 1, null);
    start();
    // The first request holds 60 KB while its use case runs.
    fake.batchGate =
        () -> {
          inside.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    var first = post(batchOf(60 * 1024));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    var second = post(batchOf(60 * 1024)).get(10, TimeUnit.SECONDS);
    var small = post(batchOf(2 * 1024));

    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("x-mics-next-msg-delay")).contains("1000");
    assertThat(second.headers().firstValue("retry-after")).contains("1");
    assertThat(second.body()).contains("too many large bodies");
    release.countDown();
    fake.batchGate = () -> {};
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(small.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    // Every share comes back (a share is released just after its answer is written, so the client
    // may be a moment ahead): a large body goes again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int status;
    do {
      status = post(batchOf(60 * 1024)).get(10, TimeUnit.SECONDS).statusCode();
    } while (status == 429 && System.nanoTime() < deadline);
    assertThat(status).isEqualTo(200);
  }

  @Test
  void theStatusRouteFailsWhenAPartTheRelayNeedsHasStopped() throws Exception {
    start();

    var healthy =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/status"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    fake.health =
        new CheckHealthUseCase.Health.Failing(
            List.of("the queue writer stopped: OutOfMemoryError: Java heap space"));
    var failing =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/status"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(healthy.statusCode()).isEqualTo(200);
    assertThat(healthy.body()).isEmpty();
    assertThat(failing.statusCode()).isEqualTo(503);
    assertThat(failing.body())
        .isEqualTo(
            "{\"status\":\"error\",\"message\":\"the queue writer stopped: OutOfMemoryError: Java"
                + " heap space\"}");
  }
}

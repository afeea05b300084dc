package io.audiencerelay.adapters.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.http.in.feed.FeedPluginRoutesTest;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MetricsRouteTest {

  @Test
  void everyRequestIsObservedByRouteAndStatusAndMetricsAreServed() {
    List<String> observed = new CopyOnWriteArrayList<>();
    HttpObserver observer =
        new HttpObserver() {
          @Override
          public void request(String method, String route, int status, long nanos) {
            observed.add(method + " " + route + " " + status);
          }

          @Override
          public String scrape() {
            return "relay_up 1\n";
          }
        };
    FakeUseCases fake = new FakeUseCases();
    fake.update = new UserSegmentUpdateResult.Accepted();
    try (TestServer server =
        new TestServer(fake.asUseCases(), new LogLevels(), 1 << 20, observer)) {
      server.post("/v1/user_segment_update", FeedPluginRoutesTest.UPDATE);
      server.post("/v1/user_segment_update", "{}");
      server.get("/v1/nope/12345");
      // Any token is a method on the wire: one label for all that are not standard.
      server.send(
          java.net.http.HttpRequest.newBuilder(server.uri("/v1/status"))
              .method("XYZZY", java.net.http.HttpRequest.BodyPublishers.noBody()));
      server.send(
          java.net.http.HttpRequest.newBuilder(server.uri("/v1/status"))
              .method("PLUGH", java.net.http.HttpRequest.BodyPublishers.noBody()));
      var metrics = server.get("/metrics");

      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.header("content-type")).startsWith("text/plain");
      assertThat(metrics.body()).isEqualTo("relay_up 1\n");
      assertThat(observed)
          .containsExactly(
              "POST /v1/user_segment_update 200",
              "POST /v1/user_segment_update 400",
              "GET other 404",
              "other /v1/status 404",
              "other /v1/status 404",
              "GET /metrics 200");
    }
  }
}

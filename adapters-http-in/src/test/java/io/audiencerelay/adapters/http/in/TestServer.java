package io.audiencerelay.adapters.http.in;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.feed.FeedUseCases;
import io.audiencerelay.adapters.http.in.mapp.MappDiy;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A real relay server on 127.0.0.1 and a free port, and a JDK client to call it. */
public final class TestServer implements AutoCloseable {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private final WebServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  public TestServer(FeedUseCases useCases, LogLevels logLevels, long maxPayloadBytes) {
    this(useCases, logLevels, maxPayloadBytes, HttpObserver.NONE);
  }

  public TestServer(
      FeedUseCases useCases, LogLevels logLevels, long maxPayloadBytes, HttpObserver observer) {
    this(useCases, logLevels, maxPayloadBytes, observer, java.util.Optional.empty());
  }

  public TestServer(
      FeedUseCases useCases,
      LogLevels logLevels,
      long maxPayloadBytes,
      HttpObserver observer,
      java.util.Optional<MappDiy> mapp) {
    this(
        useCases,
        logLevels,
        maxPayloadBytes,
        observer,
        mapp,
        java.util.List.of(),
        (destination, changes) -> {
          throw new IllegalStateException("no external source in this test");
        });
  }

  public TestServer(
      FeedUseCases useCases,
      LogLevels logLevels,
      long maxPayloadBytes,
      HttpObserver observer,
      java.util.Optional<MappDiy> mapp,
      java.util.List<SyncedSegmentSource> synced,
      io.audiencerelay.application.port.in.AcceptExternalChangesUseCase accept) {
    server =
        RelayHttpServer.create(
                new HttpSettings("127.0.0.1", 0, maxPayloadBytes, Duration.ofMillis(100)),
                useCases,
                MAPPER,
                logLevels,
                Map.of("runtime", "java", "runtime_version", "21"),
                observer,
                mapp,
                synced,
                accept,
                java.time.Clock.systemUTC(),
                false)
            .start();
  }

  public Answer post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Answer put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Override
  public void close() {
    server.stop();
  }

  public record Answer(int status, String body, HttpResponse<String> response) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }
}

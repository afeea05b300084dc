package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.BadRequestException;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.adapters.http.in.feed.WireRequests.LogLevelRequest;
import io.audiencerelay.application.port.in.CheckHealthUseCase;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** The plugin's own routes: init, status, log level and metadata. */
final class PluginRoutes implements HttpService {
  private final FeedUseCases useCases;
  private final JsonBodies json;
  private final FeedAnswers answers;
  private final LogLevels logLevels;
  private final Map<String, Object> metadata;
  private final long maxBodyBytes;

  PluginRoutes(
      FeedUseCases useCases,
      JsonBodies json,
      FeedAnswers answers,
      LogLevels logLevels,
      Map<String, Object> metadata,
      long maxBodyBytes) {
    this.useCases = useCases;
    this.json = json;
    this.answers = answers;
    this.logLevels = logLevels;
    this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.maxBodyBytes = maxBodyBytes;
  }

  private byte[] body(ServerRequest req) {
    return RequestBodies.whole(req, maxBodyBytes);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/v1/init", (req, res) -> res.status(Status.OK_200).send())
        .get("/v1/status", this::status)
        .get(
            "/v1/log_level",
            (req, res) ->
                answers.sendJson(res, Status.OK_200, Map.of("level", logLevels.current())))
        .put("/v1/log_level", this::setLogLevel)
        .get("/v1/metadata", (req, res) -> answers.sendJson(res, Status.OK_200, metadata));
  }

  /**
   * 200 with no body while the relay can store and deliver, as the SDK answers; 503 naming what
   * stopped otherwise, so the platform's plugin manager (or a process supervisor) restarts it.
   */
  private void status(ServerRequest req, ServerResponse res) {
    switch (useCases.checkHealth().check()) {
      case CheckHealthUseCase.Health.Serving serving -> res.status(Status.OK_200).send();
      case CheckHealthUseCase.Health.Failing failing ->
          answers.sendJson(
              res,
              Status.SERVICE_UNAVAILABLE_503,
              FeedAnswers.body("error", String.join("; ", failing.problems())));
    }
  }

  private void setLogLevel(ServerRequest req, ServerResponse res) {
    LogLevelRequest request = json.read(body(req), LogLevelRequest.class);
    if (request.level() == null || request.level().isBlank()) {
      throw BadRequestException.field("level is required (one of " + LogLevels.knownNames() + ")");
    }
    if (!logLevels.set(request.level())) {
      throw BadRequestException.field(
          "Unknown level '" + request.level() + "' (one of " + LogLevels.knownNames() + ")");
    }
    res.status(Status.OK_200).send();
  }
}

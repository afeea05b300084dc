package io.audiencerelay.adapters.http.in.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.adapters.http.in.BadRequestException;
import io.audiencerelay.adapters.http.in.HttpObserver;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.application.port.in.admin.AdminActionResult;
import io.audiencerelay.application.port.in.admin.DestinationStatus;
import io.audiencerelay.application.port.in.admin.ListGrantsUseCase.GrantStatus;
import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;
import io.audiencerelay.application.port.out.DeliveryBacklog.DeadLetter;
import io.audiencerelay.domain.DestinationName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin listener's routes: the JSON API under {@code /admin/api/}, the console's files under
 * {@code /admin/}, {@code /metrics} and the log level. See docs/ADMIN.md.
 */
public final class AdminRoutes implements HttpService {
  /** The most dead letters one page lists. */
  static final int MAX_PAGE = 500;

  /** An action's body is a small JSON object. */
  public static final long MAX_BODY = 16 * 1024;

  private static final HttpMediaType PROMETHEUS_TEXT =
      HttpMediaType.create("text/plain; version=0.0.4; charset=utf-8");
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8",
          "console.css", "text/css; charset=utf-8");

  private final AdminUseCases useCases;
  private final AdminAccess access;
  private final JsonBodies json;
  private final LogLevels logLevels;
  private final HttpObserver observer;

  public AdminRoutes(
      AdminUseCases useCases,
      AdminSettings settings,
      JsonBodies json,
      LogLevels logLevels,
      HttpObserver observer) {
    this.useCases = useCases;
    this.access = new AdminAccess(settings);
    this.json = json;
    this.logLevels = logLevels;
    this.observer = observer;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .any(this::guard)
        .get("/", (req, res) -> redirect(res, "/admin/"))
        .get("/admin", (req, res) -> redirect(res, "/admin/"))
        .get("/admin/", (req, res) -> file(res, "index.html"))
        .get("/admin/{file}", (req, res) -> file(res, req.path().pathParameters().get("file")))
        .get("/metrics", (req, res) -> sendMetrics(res, observer))
        .get("/admin/api/destinations", this::destinations)
        .post("/admin/api/destinations/{name}/pause", this::pause)
        .post("/admin/api/destinations/{name}/resume", this::resume)
        .get("/admin/api/dead_letters", this::deadLetters)
        .post("/admin/api/dead_letters/requeue", this::requeue)
        .post("/admin/api/dead_letters/discard", this::discard)
        .get("/admin/api/grants", this::grants)
        .get(
            "/admin/api/log_level",
            (req, res) -> send(res, Status.OK_200, Map.of("level", logLevels.current())))
        .put("/admin/api/log_level", this::setLogLevel);
  }

  /**
   * Every request: who asks, and for an action, that it comes as JSON from this console rather than
   * from a page elsewhere that the operator's browser happens to visit.
   */
  private void guard(ServerRequest req, ServerResponse res) {
    switch (access.check(req)) {
      case AdminAccess.Verdict.Allowed allowed -> {
        String method = req.prologue().method().text();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          if (req.headers()
              .first(HeaderNames.create("Sec-Fetch-Site"))
              .orElse("")
              .equals("cross-site")) {
            send(res, Status.FORBIDDEN_403, Map.of("error", "Cross-site requests are refused"));
            return;
          }
          boolean isJson =
              req.headers()
                  .contentType()
                  .map(type -> type.mediaType().text().equalsIgnoreCase("application/json"))
                  .orElse(false);
          if (!isJson) {
            send(
                res,
                Status.UNSUPPORTED_MEDIA_TYPE_415,
                Map.of("error", "An action's body must be JSON (Content-Type: application/json)"));
            return;
          }
        }
        req.context().register("admin.actor", allowed.actor());
        res.next();
      }
      case AdminAccess.Verdict.Unauthenticated refused -> {
        res.header(
            HeaderNames.WWW_AUTHENTICATE,
            "Basic realm=\"audience-relay admin\", charset=\"UTF-8\"");
        send(res, Status.UNAUTHORIZED_401, Map.of("error", refused.message()));
      }
      case AdminAccess.Verdict.Closed closed ->
          send(res, Status.FORBIDDEN_403, Map.of("error", closed.message()));
    }
  }

  private static String actor(ServerRequest req) {
    return req.context().get("admin.actor", String.class).orElse("unknown");
  }

  /** The Prometheus scrape, here and (behind its switch) on the protocol port. */
  public static void sendMetrics(ServerResponse res, HttpObserver observer) {
    res.status(Status.OK_200);
    res.headers().contentType(PROMETHEUS_TEXT);
    res.send(observer.scrape().getBytes(StandardCharsets.UTF_8));
  }

  private void destinations(ServerRequest req, ServerResponse res) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (DestinationStatus status : useCases.destinations().destinations()) {
      list.add(AdminJson.destination(status));
    }
    send(res, Status.OK_200, Map.of("destinations", list, "at", Instant.now().toString()));
  }

  private void deadLetters(ServerRequest req, ServerResponse res) {
    var query = req.query();
    DeadLetterQuery filter =
        query(
            query.first("destination").asOptional(),
            query.first("segment").asOptional(),
            query.first("reason").asOptional());
    int limit = 100;
    Optional<String> limitText = query.first("limit").asOptional();
    if (limitText.isPresent()) {
      try {
        limit = Integer.parseInt(limitText.get());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_PAGE) {
        throw BadRequestException.field("limit must be a whole number from 1 to " + MAX_PAGE);
      }
    }
    var page = useCases.deadLetters().deadLetters(filter, limit);
    List<Map<String, Object>> letters = new ArrayList<>();
    for (DeadLetter letter : page.letters()) {
      letters.add(AdminJson.deadLetter(letter));
    }
    send(res, Status.OK_200, Map.of("total", page.total(), "dead_letters", letters));
  }

  private void requeue(ServerRequest req, ServerResponse res) {
    DeadLetterQuery query = actionQuery(req);
    answer(res, useCases.requeue().requeue(query, actor(req)));
  }

  private void discard(ServerRequest req, ServerResponse res) {
    DeadLetterQuery query = actionQuery(req);
    answer(res, useCases.discard().discard(query, actor(req)));
  }

  /** The body's {@code destination}, {@code segment} and {@code reason}; none means all. */
  private DeadLetterQuery actionQuery(ServerRequest req) {
    byte[] body = RequestBodies.whole(req, MAX_BODY);
    if (body.length == 0) {
      throw BadRequestException.body(
          "Send a JSON object: {} for every dead letter, or any of destination, segment, reason");
    }
    JsonNode node;
    try {
      node = json.mapper().readTree(body);
    } catch (IOException e) {
      throw BadRequestException.body("Malformed JSON");
    }
    // Unlike the feed routes, {} means something here: every dead letter.
    if (node == null || !node.isObject()) {
      throw BadRequestException.body("The body must be a JSON object");
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!List.of("destination", "segment", "reason").contains(name)) {
        throw BadRequestException.field(
            name + ": unknown field (known: destination, segment, reason)");
      }
      if (!node.get(name).isTextual() && !node.get(name).isNull()) {
        throw BadRequestException.field(name + " must be text");
      }
    }
    return query(
        Optional.ofNullable(node.path("destination").textValue()),
        Optional.ofNullable(node.path("segment").textValue()),
        Optional.ofNullable(node.path("reason").textValue()));
  }

  private static DeadLetterQuery query(
      Optional<String> destination, Optional<String> segment, Optional<String> reason) {
    Optional<DestinationName> name;
    try {
      name = destination.filter(d -> !d.isBlank()).map(d -> new DestinationName(d.strip()));
    } catch (IllegalArgumentException e) {
      throw BadRequestException.field("destination: " + e.getMessage());
    }
    return new DeadLetterQuery(name, segment, reason);
  }

  private void pause(ServerRequest req, ServerResponse res) {
    answer(res, useCases.pause().pause(req.path().pathParameters().get("name"), actor(req)));
  }

  private void resume(ServerRequest req, ServerResponse res) {
    answer(res, useCases.resume().resume(req.path().pathParameters().get("name"), actor(req)));
  }

  private void answer(ServerResponse res, AdminActionResult result) {
    switch (result) {
      case AdminActionResult.Done done ->
          send(
              res,
              Status.OK_200,
              Map.of("status", "ok", "count", done.count(), "message", done.message()));
      case AdminActionResult.Partly partly -> {
        res.header(HeaderNames.RETRY_AFTER, "5");
        send(
            res,
            Status.SERVICE_UNAVAILABLE_503,
            Map.of(
                "status", "partly",
                "count", partly.count(),
                "left", partly.left(),
                "message", partly.message()));
      }
      case AdminActionResult.UnknownDestination unknown ->
          send(res, Status.NOT_FOUND_404, Map.of("error", unknown.message()));
    }
  }

  private void grants(ServerRequest req, ServerResponse res) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (GrantStatus grant : useCases.grants().grants()) {
      list.add(AdminJson.grant(grant));
    }
    send(res, Status.OK_200, Map.of("grants", list));
  }

  private void setLogLevel(ServerRequest req, ServerResponse res) {
    JsonNode node;
    try {
      node = json.mapper().readTree(RequestBodies.whole(req, MAX_BODY));
    } catch (IOException e) {
      throw BadRequestException.body("Malformed JSON");
    }
    String level = node == null ? null : node.path("level").textValue();
    if (level == null || !logLevels.set(level)) {
      throw BadRequestException.field("level must be one of " + LogLevels.knownNames());
    }
    java.util.logging.Logger.getLogger(AdminRoutes.class.getName())
        .info(() -> "admin " + actor(req) + " set the log level to " + level);
    send(res, Status.OK_200, Map.of("level", logLevels.current()));
  }

  private void file(ServerResponse res, String name) {
    String type = FILES.get(name);
    if (type == null) {
      send(res, Status.NOT_FOUND_404, Map.of("error", "No such console file: " + name));
      return;
    }
    try (InputStream in = AdminRoutes.class.getResourceAsStream("/admin/" + name)) {
      if (in == null) {
        send(res, Status.NOT_FOUND_404, Map.of("error", "No such console file: " + name));
        return;
      }
      res.status(Status.OK_200);
      res.headers().contentType(HttpMediaType.create(type));
      res.header(HeaderNames.CACHE_CONTROL, "no-cache");
      res.header(
          HeaderNames.create("Content-Security-Policy"),
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
      res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
      res.send(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void redirect(ServerResponse res, String to) {
    res.status(Status.FOUND_302);
    res.header(HeaderNames.LOCATION, to);
    res.send();
  }

  private void send(ServerResponse res, Status status, Object body) {
    res.status(status);
    res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(json.write(body));
  }
}

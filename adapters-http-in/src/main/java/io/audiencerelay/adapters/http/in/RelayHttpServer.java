package io.audiencerelay.adapters.http.in;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.admin.AdminListener;
import io.audiencerelay.adapters.http.in.admin.AdminRoutes;
import io.audiencerelay.adapters.http.in.feed.FeedPluginRoutes;
import io.audiencerelay.adapters.http.in.feed.FeedUseCases;
import io.audiencerelay.adapters.http.in.mapp.MappDiy;
import io.audiencerelay.adapters.http.in.mapp.MappDiyRoutes;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentRoutes;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource;
import io.audiencerelay.application.port.in.AcceptExternalChangesUseCase;
import io.helidon.http.DirectHandler;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the inbound web server: the feed routes, the JSON error table, and the transport-level
 * answers (body too large, malformed request) in the same JSON shape. The one place that decides
 * how failures look on the wire.
 */
public final class RelayHttpServer {
  private static final Logger LOG = Logger.getLogger(RelayHttpServer.class.getName());

  private RelayHttpServer() {}

  /** The name of the admin listener's socket, for {@code server.port(ADMIN_SOCKET)}. */
  public static final String ADMIN_SOCKET = "admin";

  /** A protocol-only server (tests): {@code /metrics} stays on the protocol port. */
  public static WebServer create(
      HttpSettings settings,
      FeedUseCases useCases,
      ObjectMapper mapper,
      LogLevels logLevels,
      Map<String, Object> metadata,
      HttpObserver observer,
      Optional<MappDiy> mapp,
      List<SyncedSegmentSource> syncedSegments,
      AcceptExternalChangesUseCase externalChanges,
      java.time.Clock clock,
      boolean shutdownHook) {
    return create(
        settings,
        useCases,
        mapper,
        logLevels,
        metadata,
        observer,
        mapp,
        syncedSegments,
        externalChanges,
        clock,
        shutdownHook,
        NetworkAllowList.EVERYONE,
        Optional.empty());
  }

  /**
   * A server ready to {@code start()}; the JVM shutdown hook is left to the caller. With an admin
   * listener, {@code /metrics} moves there (unless its settings keep it on the protocol port too).
   */
  public static WebServer create(
      HttpSettings settings,
      FeedUseCases useCases,
      ObjectMapper mapper,
      LogLevels logLevels,
      Map<String, Object> metadata,
      HttpObserver observer,
      Optional<MappDiy> mapp,
      List<SyncedSegmentSource> syncedSegments,
      AcceptExternalChangesUseCase externalChanges,
      java.time.Clock clock,
      boolean shutdownHook,
      NetworkAllowList allowed,
      Optional<AdminListener> admin) {
    JsonBodies json = new JsonBodies(mapper);
    boolean metricsHere =
        admin.map(listener -> listener.settings().metricsOnProtocolPort()).orElse(true);
    long maxBody = settings.maxPayloadBytes();
    FeedPluginRoutes routes = new FeedPluginRoutes(useCases, json, logLevels, metadata, maxBody);
    MappDiyRoutes mappRoutes = new MappDiyRoutes(mapp, mapper, clock, maxBody);
    SyncedSegmentRoutes syncedRoutes =
        new SyncedSegmentRoutes(syncedSegments, externalChanges, mapper, clock, maxBody);
    io.helidon.webserver.WebServerConfig.Builder server = WebServer.builder();
    admin.ifPresent(
        listener ->
            server.putSocket(
                ADMIN_SOCKET,
                socket ->
                    socket
                        .host(listener.settings().host())
                        .port(listener.settings().port())
                        .maxPayloadSize(AdminRoutes.MAX_BODY)
                        .routing(
                            routing ->
                                adminRouting(
                                    routing,
                                    new AdminRoutes(
                                        listener.useCases(),
                                        listener.settings(),
                                        json,
                                        logLevels,
                                        observer),
                                    json))));
    return server
        .host(settings.host())
        .port(settings.port())
        .maxPayloadSize(settings.maxPayloadBytes())
        .contentEncoding(RequestDecoding.context())
        .shutdownGracePeriod(settings.shutdownGrace())
        .shutdownHook(shutdownHook)
        .directHandlers(
            handlers -> {
              DirectHandler transport = transportErrors(settings.maxPayloadBytes());
              for (EventType type : EventType.values()) {
                handlers.addHandler(type, transport);
              }
            })
        .routing(
            routing ->
                configure(
                    routing,
                    routes,
                    mappRoutes,
                    syncedRoutes,
                    json,
                    observer,
                    new BodyBudget(settings.maxInflightBodyBytes()),
                    metricsHere,
                    allowed))
        .build();
  }

  private static void adminRouting(
      HttpRouting.Builder routing, AdminRoutes routes, JsonBodies json) {
    errorTable(routing.register(routes), json);
  }

  /**
   * What both listeners answer for no route and for each failure: one JSON shape. (The admin
   * listener holds no body budget, so its bodies never meet the 429.)
   */
  private static void errorTable(HttpRouting.Builder routing, JsonBodies json) {
    routing
        .any((req, res) -> notFound(req, res, json))
        .error(BadRequestException.class, (req, res, e) -> badRequest(res, e, json))
        .error(
            RequestBodies.BodyException.class,
            (req, res, e) -> {
              if (e.status().code() == Status.TOO_MANY_REQUESTS_429.code()) {
                busy(res);
              }
              send(res, e.status(), json.write(Map.of("error", e.getMessage())));
            })
        .error(IllegalArgumentException.class, (req, res, e) -> invalid(res, e, json))
        .error(Exception.class, (req, res, e) -> internalError(req, res, e, json));
  }

  static void configure(
      HttpRouting.Builder routing,
      FeedPluginRoutes routes,
      MappDiyRoutes mappRoutes,
      SyncedSegmentRoutes syncedRoutes,
      JsonBodies json,
      HttpObserver observer,
      BodyBudget bodies) {
    configure(
        routing,
        routes,
        mappRoutes,
        syncedRoutes,
        json,
        observer,
        bodies,
        true,
        NetworkAllowList.EVERYONE);
  }

  static void configure(
      HttpRouting.Builder routing,
      FeedPluginRoutes routes,
      MappDiyRoutes mappRoutes,
      SyncedSegmentRoutes syncedRoutes,
      JsonBodies json,
      HttpObserver observer,
      BodyBudget bodies,
      boolean metricsHere,
      NetworkAllowList allowed) {
    if (!allowed.allowsEveryone()) {
      routing.addFilter(
          (chain, req, res) -> {
            var peer = req.remotePeer().address();
            if (peer instanceof java.net.InetSocketAddress socket
                && socket.getAddress() != null
                && allowed.allows(socket.getAddress())) {
              chain.proceed();
            } else {
              send(
                  res,
                  Status.FORBIDDEN_403,
                  json.write(
                      Map.of(
                          "error",
                          "This address may not use the relay (server.allowed_networks)")));
            }
          });
    }
    if (metricsHere) {
      routing.get("/metrics", (req, res) -> AdminRoutes.sendMetrics(res, observer));
    }
    routing
        .addFilter(
            (chain, req, res) -> {
              long started = System.nanoTime();
              BodyBudget.Share share = bodies.share();
              req.context().register(share);
              try {
                chain.proceed();
              } finally {
                share.giveBack();
                String path = req.path().path();
                observer.request(
                    methodLabel(req.prologue().method().text()),
                    routeLabel(path),
                    res.status().code(),
                    System.nanoTime() - started);
              }
            })
        .register(routes)
        .register(mappRoutes)
        .register(syncedRoutes);
    errorTable(routing, json);
  }

  private static final java.util.Set<String> METHODS =
      java.util.Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");

  /**
   * The standard methods, else {@code other}: a request may carry any token as its method, and each
   * label value is a series the metrics keep for good.
   */
  static String methodLabel(String method) {
    return METHODS.contains(method) ? method : "other";
  }

  /**
   * A small, fixed set of labels: the protocol paths, the synced-segments route, else {@code
   * other}.
   */
  static String routeLabel(String path) {
    if (FeedPluginRoutes.PATHS.contains(path)) {
      return path;
    }
    return path.startsWith("/api/v2/segment-targets/") ? "/api/v2/segment-targets" : "other";
  }

  /**
   * The delay a request refused for lack of room should wait, in both the SDK's and HTTP's words.
   */
  public static void busy(ServerResponse res) {
    res.header(FeedPluginRoutes.NEXT_MSG_DELAY, "1000");
    res.header(io.helidon.http.HeaderNames.RETRY_AFTER, "1");
  }

  private static void notFound(ServerRequest req, ServerResponse res, JsonBodies json) {
    send(
        res,
        Status.NOT_FOUND_404,
        json.write(
            Map.of(
                "error",
                "No route for " + req.prologue().method().text() + " " + req.path().path())));
  }

  private static void badRequest(ServerResponse res, BadRequestException e, JsonBodies json) {
    Map<String, Object> answer =
        e.transportLevel() ? Map.of("error", e.getMessage()) : orderedError(e.getMessage());
    send(res, Status.BAD_REQUEST_400, json.write(answer));
  }

  /** A domain invariant broken by the request's values (a blank id, for example). */
  private static void invalid(ServerResponse res, IllegalArgumentException e, JsonBodies json) {
    send(res, Status.BAD_REQUEST_400, json.write(orderedError(e.getMessage())));
  }

  private static void internalError(
      ServerRequest req, ServerResponse res, Exception e, JsonBodies json) {
    // Logged in full here; the platform gets the exception type only, never a stack trace or a
    // message that might
    // carry a secret.
    LOG.log(
        Level.SEVERE,
        e,
        () -> "Unhandled error on " + req.prologue().method().text() + " " + req.path().path());
    send(
        res,
        Status.INTERNAL_SERVER_ERROR_500,
        json.write(
            orderedError(
                "Internal error (" + e.getClass().getSimpleName() + "), see the relay's log")));
  }

  private static Map<String, Object> orderedError(String message) {
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    answer.put("status", "error");
    answer.put("message", message);
    return answer;
  }

  private static void send(ServerResponse res, Status status, byte[] body) {
    res.status(status);
    res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
    res.send(body);
  }

  /**
   * Errors found before routing (body too large, malformed HTTP): the same JSON shape as every
   * other error, and the request's content is never echoed.
   */
  private static DirectHandler transportErrors(long maxPayloadBytes) {
    byte[] tooLarge = errorBody("Request body larger than " + maxPayloadBytes + " bytes");
    byte[] malformed = errorBody("Malformed HTTP request");
    byte[] internal = errorBody("Internal error");
    byte[] unsupportedEncoding =
        errorBody(
            "Unsupported Content-Encoding (the relay takes " + RequestDecoding.SUPPORTED + ")");
    return (request, eventType, status, headers, detail) -> {
      byte[] body =
          status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()
              ? tooLarge
              : status.code() >= 500 ? internal : malformed;
      if (eventType == EventType.BAD_REQUEST
          && RequestDecoding.unsupported(
              request.headers().first(io.helidon.http.HeaderNames.CONTENT_ENCODING))) {
        // Helidon reports an unknown Content-Encoding as a bad request; it is 415 in HTTP's terms.
        status = Status.UNSUPPORTED_MEDIA_TYPE_415;
        body = unsupportedEncoding;
      }
      return DirectHandler.TransportResponse.builder()
          .status(status)
          .headers(headers)
          .header(HeaderValues.CONTENT_TYPE_JSON)
          .entity(body)
          .keepAlive(eventType.keepAlive())
          .build();
    };
  }

  private static byte[] errorBody(String message) {
    return ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}

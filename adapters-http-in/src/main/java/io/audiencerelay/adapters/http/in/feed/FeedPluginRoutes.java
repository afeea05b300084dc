package io.audiencerelay.adapters.http.in.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.adapters.http.in.BadRequestException;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.adapters.http.in.feed.WireRequests.AuthenticationRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.AuthenticationStatusRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.BatchItemWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.BatchUpdateRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.DynamicPropertyValuesRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.FeedDestinationRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.IdentifierWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.LogLevelRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.LogoutRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.PropertyWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.SegmentRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.UserSegmentUpdateRequest;
import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.BatchUpdateCommand;
import io.audiencerelay.application.port.in.BatchUpdateResult;
import io.audiencerelay.application.port.in.CheckHealthUseCase;
import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.OAuthRedirectUrlQuery;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentConnectionResult;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.TroubleshootCommand;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.UserIdentifier;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mediarithmics audience-feed plugin protocol: every route of the official Node SDK, with its
 * status mapping, bodies and the {@code x-mics-next-msg-delay} header. Deviations from the SDK are
 * deliberate and listed in docs/PROTOCOL.md ("Protocol notes").
 */
public final class FeedPluginRoutes implements HttpService {
  public static final HeaderName NEXT_MSG_DELAY = HeaderNames.create("x-mics-next-msg-delay");

  /** Every protocol path, for metric labels. */
  public static final java.util.Set<String> PATHS =
      java.util.Set.of(
          "/v1/init",
          "/v1/status",
          "/v1/log_level",
          "/v1/metadata",
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
          "/v1/oauth_redirect_url",
          "/metrics",
          "/mapp/diy",
          "/api/v2/segment-targets");

  private static final byte[] STATUS_OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

  /** Lines of a file of updates written to the queue together. */
  static final int LINES_PER_WRITE = 500;

  private static final java.util.Set<String> LINE_TYPES =
      java.util.Set.of(
          "application/x-ndjson",
          "application/jsonl",
          "application/json-lines",
          "application/ndjson");

  private final FeedUseCases useCases;
  private final JsonBodies json;
  private final UpdateBodies updateBodies;
  private final LogLevels logLevels;
  private final Map<String, Object> metadata;
  private final long maxBodyBytes;

  /**
   * @param metadata the body of {@code GET /v1/metadata}
   * @param maxBodyBytes the largest body read, once decoded
   */
  public FeedPluginRoutes(
      FeedUseCases useCases,
      JsonBodies json,
      LogLevels logLevels,
      Map<String, Object> metadata,
      long maxBodyBytes) {
    this.useCases = useCases;
    this.json = json;
    this.updateBodies = new UpdateBodies(json);
    this.logLevels = logLevels;
    this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/v1/init", (req, res) -> res.status(Status.OK_200).send())
        .get("/v1/status", this::status)
        .get(
            "/v1/log_level",
            (req, res) -> sendJson(res, Status.OK_200, Map.of("level", logLevels.current())))
        .put("/v1/log_level", this::setLogLevel)
        .get("/v1/metadata", (req, res) -> sendJson(res, Status.OK_200, metadata))
        .post("/v1/external_segment_creation", this::createExternalSegment)
        .post("/v1/external_segment_connection", this::connectExternalSegment)
        .post("/v1/user_segment_update", this::updateUserSegment)
        .post("/v1/batch_update", this::batchUpdate)
        .post("/v1/troubleshoot", this::troubleshoot)
        .post("/v1/authentication_status_queries", this::authenticationStatus)
        .post("/v1/authentication", this::authenticate)
        .post("/v1/logout", this::logout)
        .post("/v1/dynamic_property_values_queries", this::dynamicPropertyValues)
        .post("/v1/test_authentication", this::testAuthentication)
        .post("/v1/oauth_redirect_url", this::oauthRedirectUrl);
  }

  // --- common routes ---

  /**
   * 200 with no body while the relay can store and deliver, as the SDK answers; 503 naming what
   * stopped otherwise, so the platform's plugin manager (or a process supervisor) restarts it.
   */
  private void status(ServerRequest req, ServerResponse res) {
    switch (useCases.checkHealth().check()) {
      case CheckHealthUseCase.Health.Serving serving -> res.status(Status.OK_200).send();
      case CheckHealthUseCase.Health.Failing failing ->
          sendJson(
              res,
              Status.SERVICE_UNAVAILABLE_503,
              body("error", String.join("; ", failing.problems())));
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

  // --- segment lifecycle ---

  private void createExternalSegment(ServerRequest req, ServerResponse res) {
    SegmentRequest request = json.read(body(req), SegmentRequest.class);
    SegmentCommand command =
        new SegmentCommand(segment(request), destinationId(request.feedDestinationId()));
    switch (useCases.createExternalSegment().create(command)) {
      case SegmentCreationResult.Created created ->
          sendJson(
              res,
              Status.OK_200,
              body("ok", "visibility", created.visibility().name(), created.message()));
      case Failed failed ->
          sendJson(
              res,
              Status.INTERNAL_SERVER_ERROR_500,
              body("error", "visibility", failed.visibility().name(), failed.message()));
    }
  }

  private void connectExternalSegment(ServerRequest req, ServerResponse res) {
    SegmentRequest request = json.read(body(req), SegmentRequest.class);
    SegmentCommand command =
        new SegmentCommand(segment(request), destinationId(request.feedDestinationId()));
    switch (useCases.connectExternalSegment().connect(command)) {
      case SegmentConnectionResult.Connected connected ->
          sendJson(res, Status.OK_200, body("ok", connected.message()));
      case SegmentConnectionResult.NotReadyYet notReady ->
          sendJson(
              res,
              Status.BAD_GATEWAY_502,
              body("external_segment_not_ready_yet", notReady.message()));
      case Failed failed -> sendFailed(res, failed);
    }
  }

  private void updateUserSegment(ServerRequest req, ServerResponse res) {
    if (isLines(req)) {
      updateUserSegmentsFromLines(req, res);
      return;
    }
    UserSegmentUpdateRequest request = updateBodies.readUpdate(body(req));
    UpdateUserSegmentCommand command = updateCommand(request);
    switch (useCases.updateUserSegment().update(command)) {
      case UserSegmentUpdateResult.Accepted accepted -> {
        res.status(Status.OK_200);
        res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
        res.send(STATUS_OK);
      }
      case UserSegmentUpdateResult.Retry retry -> {
        long delayMs = Math.max(0, retry.after().toMillis());
        Map<String, Object> answer = body("retry", retry.message());
        if (delayMs > 0) {
          answer.put("next_msg_delay_in_ms", delayMs);
          res.header(NEXT_MSG_DELAY, Long.toString(delayMs));
        }
        sendJson(res, Status.TOO_MANY_REQUESTS_429, answer);
      }
      case UserSegmentUpdateResult.NoEligibleIdentifier none ->
          sendJson(res, Status.BAD_REQUEST_400, body("no_eligible_identifier", none.message()));
      case Failed failed -> sendFailed(res, failed);
    }
  }

  /**
   * The file form: a body of newline-delimited updates, each line one {@code user_segment_update}
   * request. Read as a stream, a chunk of lines at a time, so a large file never sits in memory
   * whole; each chunk is one durable write. Unreadable or unusable lines are counted and reported
   * by line number; they never fail the rest.
   */
  private void updateUserSegmentsFromLines(ServerRequest req, ServerResponse res) {
    LineTally tally = new LineTally();
    List<UpdateUserSegmentCommand> chunk = new ArrayList<>(LINES_PER_WRITE);
    List<Integer> chunkLines = new ArrayList<>(LINES_PER_WRITE);
    try (InputStream body = RequestBodies.stream(req, maxBodyBytes)) {
      BodyLines lines = new BodyLines(body);
      BodyLines.Line next;
      int line = 0;
      while (tally.retry == null && (next = lines.next()) != null) {
        line++;
        if (next.error() != null) {
          tally.lines++;
          tally.failed(line, next.error());
          continue;
        }
        String text = next.text();
        if (text.isBlank()) {
          continue;
        }
        tally.lines++;
        try {
          chunk.add(updateCommand(updateBodies.readUpdateLine(text)));
          chunkLines.add(line);
        } catch (IOException | RuntimeException unreadable) {
          tally.failed(line, lineError(unreadable));
        }
        if (chunk.size() == LINES_PER_WRITE) {
          tally.add(useCases.updateUserSegments().update(chunk), chunkLines);
          chunk.clear();
          chunkLines.clear();
        }
      }
    } catch (IOException e) {
      throw BadRequestException.body("Unreadable body: " + e.getMessage());
    }
    if (!chunk.isEmpty() && tally.retry == null) {
      tally.add(useCases.updateUserSegments().update(chunk), chunkLines);
    }
    if (tally.lines == 0) {
      throw BadRequestException.body("Missing request body");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    Status status;
    if (tally.retry != null) {
      status = Status.TOO_MANY_REQUESTS_429;
      answer.put("status", "retry");
      answer.put("message", tally.retry.message());
      long delayMs = Math.max(0, tally.retry.after().toMillis());
      if (delayMs > 0) {
        answer.put("next_msg_delay_in_ms", delayMs);
        res.header(NEXT_MSG_DELAY, Long.toString(delayMs));
      }
    } else if (tally.accepted > 0) {
      status = Status.OK_200;
      answer.put("status", "ok");
    } else if (tally.failed == 0) {
      status = Status.BAD_REQUEST_400;
      answer.put("status", "no_eligible_identifier");
    } else {
      status = Status.BAD_REQUEST_400;
      answer.put("status", "error");
    }
    answer.put("accepted", tally.accepted);
    answer.put("no_eligible_identifier", tally.notEligible);
    answer.put("failed", tally.failed);
    if (!tally.errors.isEmpty()) {
      answer.put("errors", tally.errors);
    }
    sendJson(res, status, answer);
  }

  /** Counts of a file of updates, with the first errors by line. */
  private static final class LineTally {
    static final int MAX_ERRORS = 20;
    int lines;
    int accepted;
    int notEligible;
    int failed;
    UserSegmentUpdateResult.Retry retry;
    final List<Map<String, Object>> errors = new ArrayList<>();

    void add(List<UserSegmentUpdateResult> results, List<Integer> lineNumbers) {
      for (int i = 0; i < results.size(); i++) {
        switch (results.get(i)) {
          case UserSegmentUpdateResult.Accepted ok -> accepted++;
          case UserSegmentUpdateResult.NoEligibleIdentifier none -> notEligible++;
          case UserSegmentUpdateResult.Retry later -> retry = later;
          case Failed failure -> failed(lineNumbers.get(i), failure.message());
        }
      }
    }

    void failed(int line, String message) {
      failed++;
      if (errors.size() < MAX_ERRORS) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("line", line);
        error.put("message", message);
        errors.add(error);
      }
    }
  }

  private static String lineError(Exception e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
      return "Malformed JSON: " + json.getOriginalMessage().split("\n")[0];
    }
    return e.getMessage();
  }

  private static boolean isLines(ServerRequest req) {
    return req.headers()
        .contentType()
        .map(
            type -> LINE_TYPES.contains(type.mediaType().text().toLowerCase(java.util.Locale.ROOT)))
        .orElse(false);
  }

  private static UpdateUserSegmentCommand updateCommand(UserSegmentUpdateRequest request) {
    return new UpdateUserSegmentCommand(
        segment(request.feedId(), request.segmentId(), request.datamartId()),
        operation(request.operation(), "operation"),
        IdentifierWire.toDomain(request.userIdentifiers()),
        timestamp(request.ts()),
        destinationId(request.feedDestinationId()));
  }

  private void batchUpdate(ServerRequest req, ServerResponse res) {
    BatchUpdateRequest request = json.read(body(req), BatchUpdateRequest.class);
    if (request.context() == null) {
      throw BadRequestException.field("context is required");
    }
    if (request.batchContent() == null) {
      throw BadRequestException.field("batch_content is required");
    }
    var context = request.context();
    ExternalSegment segment = segment(context.feedId(), context.segmentId(), context.datamartId());
    MembershipOperation groupOperation = groupingOperation(context.groupingKey());
    List<BatchUpdateCommand.Item> items = new ArrayList<>(request.batchContent().size());
    int unreadable = 0;
    for (JsonNode element : request.batchContent()) {
      BatchUpdateCommand.Item item = batchItem(element, groupOperation);
      if (item == null) {
        unreadable++;
      } else {
        items.add(item);
      }
    }
    BatchUpdateCommand command =
        new BatchUpdateCommand(segment, items, unreadable, timestamp(request.ts()));
    BatchUpdateResult result = useCases.batchUpdate().update(command);
    Map<String, Object> answer = new LinkedHashMap<>();
    Status status;
    switch (result) {
      case BatchUpdateResult.Sent sent -> {
        status = Status.OK_200;
        answer.put("status", "OK");
      }
      case BatchUpdateResult.Error error -> {
        status = Status.BAD_REQUEST_400;
        answer.put("status", "ERROR");
      }
      case BatchUpdateResult.Retry retry -> {
        status = Status.SERVICE_UNAVAILABLE_503;
        answer.put("status", "RETRY");
        long delayMs = Math.max(0, retry.after().toMillis());
        if (delayMs > 0) {
          res.header(NEXT_MSG_DELAY, Long.toString(delayMs));
        }
      }
    }
    answer.put("sent_items_in_success", result.sent());
    answer.put("sent_items_in_error", result.inError());
    String message =
        switch (result) {
          case BatchUpdateResult.Sent sent -> sent.message();
          case BatchUpdateResult.Error error -> error.message();
          case BatchUpdateResult.Retry retry -> retry.message();
        };
    if (message != null && !message.isEmpty()) {
      answer.put("message", message);
    }
    sendJson(res, status, answer);
  }

  /**
   * One {@code batch_content} element: an object, or a string holding one (both encodings occur).
   */
  private BatchUpdateCommand.Item batchItem(JsonNode element, MembershipOperation groupOperation) {
    try {
      JsonNode node =
          element != null && element.isTextual()
              ? json.mapper().readTree(element.asText())
              : element;
      if (node == null || !node.isObject()) {
        return null;
      }
      BatchItemWire wire = json.mapper().treeToValue(node, BatchItemWire.class);
      MembershipOperation operation =
          wire.operation() == null ? groupOperation : parseOperation(wire.operation());
      List<UserIdentifier> identifiers = IdentifierWire.toDomain(wire.userIdentifiers());
      return operation == null || identifiers.isEmpty()
          ? null
          : new BatchUpdateCommand.Item(operation, identifiers);
    } catch (java.io.IOException | IllegalArgumentException unreadable) {
      return null;
    }
  }

  private static MembershipOperation groupingOperation(String groupingKey) {
    MembershipOperation operation = groupingKey == null ? null : parseOperation(groupingKey);
    return operation == null ? MembershipOperation.ADD : operation;
  }

  private void troubleshoot(ServerRequest req, ServerResponse res) {
    SegmentRequest request = json.read(body(req), SegmentRequest.class);
    String action = request.action();
    if (action == null || action.isBlank()) {
      throw BadRequestException.field("action is required");
    }
    // The protocol checks the action before anything else.
    if (!TroubleshootCommand.FETCH_DESTINATION_AUDIENCE.equals(action)) {
      sendJson(
          res,
          Status.BAD_REQUEST_400,
          body("not_implemented", "Action " + action + " not supported"));
      return;
    }
    TroubleshootCommand command = new TroubleshootCommand(segment(request), action);
    switch (useCases.troubleshoot().troubleshoot(command)) {
      case TroubleshootResult.Found found -> {
        Map<String, Object> answer = body("ok", found.message());
        answer.put("data", found.data());
        sendJson(res, Status.OK_200, answer);
      }
      case Failed failed -> sendFailed(res, failed);
      case NotImplemented notImplemented -> sendNotImplemented(res, notImplemented);
    }
  }

  // --- authentication family ---

  private void authenticationStatus(ServerRequest req, ServerResponse res) {
    AuthenticationStatusRequest request = json.read(body(req), AuthenticationStatusRequest.class);
    AuthenticationStatusQuery query =
        new AuthenticationStatusQuery(
            user(request.userId()),
            request.datamartId(),
            request.segmentId(),
            request.pluginVersionId(),
            properties(request.properties()));
    switch (useCases.queryAuthenticationStatus().query(query)) {
      case AuthenticationStatusResult.Authenticated authenticated -> {
        Map<String, Object> answer = body("authenticated", null);
        if (!authenticated.data().isEmpty()) {
          answer.put("data", authenticated.data());
        }
        sendJson(res, Status.OK_200, answer);
      }
      case AuthenticationStatusResult.NotAuthenticated notAuthenticated -> {
        Map<String, Object> answer = body("not_authenticated", notAuthenticated.message());
        if (notAuthenticated.loginUrl() != null) {
          answer.put("data", Map.of("login_url", notAuthenticated.loginUrl()));
        }
        sendJson(res, Status.OK_200, answer);
      }
      case Failed failed -> sendFailed(res, failed);
      case NotImplemented notImplemented -> sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> sendUnroutable(res, unroutable);
    }
  }

  private void authenticate(ServerRequest req, ServerResponse res) {
    AuthenticationRequest request = json.read(body(req), AuthenticationRequest.class);
    AuthenticateCommand command =
        new AuthenticateCommand(
            user(request.userId()),
            request.pluginVersionId(),
            request.params() == null ? Map.of() : withoutNulls(request.params()),
            destinationId(request.feedDestinationId()));
    switch (useCases.authenticate().authenticate(command)) {
      // The refresh token is stored on the platform by the use case; it never goes back in the
      // answer.
      case AuthenticationResult.Authenticated ok ->
          sendJson(res, Status.OK_200, body("ok", ok.message()));
      case Failed failed -> sendFailed(res, failed);
      case NotImplemented notImplemented -> sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> sendUnroutable(res, unroutable);
    }
  }

  private void logout(ServerRequest req, ServerResponse res) {
    LogoutRequest request = json.read(body(req), LogoutRequest.class);
    LogoutCommand command =
        new LogoutCommand(user(request.userId()), request.pluginVersionId(), request.datamartId());
    switch (useCases.logout().logout(command)) {
      case LogoutResult.LoggedOut ok -> sendJson(res, Status.OK_200, body("ok", ok.message()));
      case Failed failed -> sendFailed(res, failed);
      case NotImplemented notImplemented -> sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> sendUnroutable(res, unroutable);
    }
  }

  private void dynamicPropertyValues(ServerRequest req, ServerResponse res) {
    DynamicPropertyValuesRequest request = json.read(body(req), DynamicPropertyValuesRequest.class);
    DynamicPropertyValuesQuery query =
        new DynamicPropertyValuesQuery(
            user(request.userId()),
            request.datamartId(),
            request.segmentId(),
            properties(request.properties()),
            destinationId(request.feedDestinationId()));
    switch (useCases.queryDynamicPropertyValues().query(query)) {
      case DynamicPropertyValuesResult.Values values -> {
        List<Map<String, Object>> data = new ArrayList<>();
        for (var property : values.properties()) {
          List<Map<String, String>> choices = new ArrayList<>();
          for (var choice : property.choices()) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("label", choice.label());
            entry.put("value", choice.value());
            choices.add(entry);
          }
          Map<String, Object> described = new LinkedHashMap<>();
          described.put("property_technical_name", property.technicalName());
          described.put("enum", choices);
          data.add(described);
        }
        Map<String, Object> answer = body("ok", null);
        answer.put("data", data);
        sendJson(res, Status.OK_200, answer);
      }
      case DynamicPropertyValuesResult.Empty empty ->
          sendJson(res, Status.OK_200, body("empty", empty.message()));
      case Failed failed -> sendFailed(res, failed);
      case NotImplemented notImplemented -> sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> sendUnroutable(res, unroutable);
    }
  }

  private void testAuthentication(ServerRequest req, ServerResponse res) {
    FeedDestinationRequest request = json.read(body(req), FeedDestinationRequest.class);
    FeedDestinationId destination = requiredDestinationId(request.feedDestinationId());
    switch (useCases.testAuthentication().test(destination)) {
      case CredentialsTestResult.Valid valid ->
          sendJson(res, Status.OK_200, body("ok", valid.message()));
      case CredentialsTestResult.Invalid invalid ->
          sendJson(res, Status.UNAUTHORIZED_401, body("invalid_credentials", invalid.message()));
      case Failed failed -> sendFailed(res, failed);
      case NotImplemented notImplemented -> sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> sendUnroutable(res, unroutable);
    }
  }

  private void oauthRedirectUrl(ServerRequest req, ServerResponse res) {
    FeedDestinationRequest request = json.read(body(req), FeedDestinationRequest.class);
    OAuthRedirectUrlQuery query =
        new OAuthRedirectUrlQuery(
            requiredDestinationId(request.feedDestinationId()), request.pluginVersionId());
    switch (useCases.createOAuthRedirectUrl().create(query)) {
      case OAuthRedirectResult.LoginUrl url ->
          sendJson(res, Status.OK_200, Map.of("login_url", url.url()));
      case Failed failed -> sendFailed(res, failed);
      // The SDK's answer when a plugin has no OAuth: this route has no not_implemented status.
      case Unroutable unroutable -> sendUnroutable(res, unroutable);
      case NotImplemented notImplemented ->
          sendJson(
              res,
              Status.INTERNAL_SERVER_ERROR_500,
              body(
                  "error",
                  notImplemented.message() != null
                      ? notImplemented.message()
                      : "onCreateOAuthRedirectUrl is not implemented"));
    }
  }

  // --- request helpers ---

  private byte[] body(ServerRequest req) {
    return RequestBodies.whole(req, maxBodyBytes);
  }

  private static ExternalSegment segment(SegmentRequest request) {
    return segment(request.feedId(), request.segmentId(), request.datamartId());
  }

  private static ExternalSegment segment(String feedId, String segmentId, String datamartId) {
    requireField(feedId, "feed_id");
    requireField(segmentId, "segment_id");
    return ExternalSegment.of(feedId, segmentId, datamartId);
  }

  private static void requireField(String value, String name) {
    if (value == null || value.isBlank()) {
      throw BadRequestException.field(name + " is required");
    }
  }

  private static PlatformUserId user(String userId) {
    requireField(userId, "user_id");
    return new PlatformUserId(userId);
  }

  private static FeedDestinationId destinationId(String id) {
    return id == null || id.isBlank() ? null : new FeedDestinationId(id);
  }

  private static FeedDestinationId requiredDestinationId(String id) {
    requireField(id, "feed_destination_id");
    return new FeedDestinationId(id);
  }

  /** UPSERT or DELETE; a missing operation is an UPSERT, as the SDK's own example posts none. */
  private static MembershipOperation operation(String value, String field) {
    if (value == null || value.isBlank()) {
      return MembershipOperation.ADD;
    }
    MembershipOperation operation = parseOperation(value);
    if (operation == null) {
      throw BadRequestException.field(field + " must be UPSERT or DELETE, got '" + value + "'");
    }
    return operation;
  }

  private static MembershipOperation parseOperation(String value) {
    return switch (value.strip().toUpperCase(java.util.Locale.ROOT)) {
      case "UPSERT", "ADD" -> MembershipOperation.ADD;
      case "DELETE", "REMOVE" -> MembershipOperation.REMOVE;
      default -> null;
    };
  }

  private static Instant timestamp(Double epochMillis) {
    if (epochMillis == null
        || epochMillis.isNaN()
        || epochMillis <= 0
        || epochMillis.isInfinite()) {
      return null;
    }
    return Instant.ofEpochMilli(epochMillis.longValue());
  }

  private static FeedProperties properties(List<PropertyWire> wires) {
    if (wires == null || wires.isEmpty()) {
      return FeedProperties.none();
    }
    Map<String, String> values = new HashMap<>();
    for (PropertyWire wire : wires) {
      if (wire != null && wire.technicalName() != null) {
        String text = wire.text();
        if (text != null) {
          values.put(wire.technicalName(), text);
        }
      }
    }
    return new FeedProperties(values);
  }

  private static Map<String, String> withoutNulls(Map<String, String> params) {
    Map<String, String> copy = new HashMap<>();
    params.forEach(
        (key, value) -> {
          if (key != null && value != null) {
            copy.put(key, value);
          }
        });
    return copy;
  }

  // --- answer helpers ---

  /**
   * {@code {"status": status, "message": message}}, the message left out when empty, as the SDK
   * does.
   */
  private static Map<String, Object> body(String status, String message) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", status);
    if (message != null && !message.isEmpty()) {
      answer.put("message", message);
    }
    return answer;
  }

  private static Map<String, Object> body(String status, String key, Object value, String message) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", status);
    answer.put(key, value);
    if (message != null && !message.isEmpty()) {
      answer.put("message", message);
    }
    return answer;
  }

  private void sendFailed(ServerResponse res, Failed failed) {
    sendJson(res, Status.INTERNAL_SERVER_ERROR_500, body("error", failed.message()));
  }

  /** The request matches no single destination: a client error naming the setting that fixes it. */
  private void sendUnroutable(ServerResponse res, Unroutable unroutable) {
    sendJson(res, Status.BAD_REQUEST_400, body("error", unroutable.message()));
  }

  private void sendNotImplemented(ServerResponse res, NotImplemented notImplemented) {
    sendJson(res, Status.BAD_REQUEST_400, body("not_implemented", notImplemented.message()));
  }

  void sendJson(ServerResponse res, Status status, Object answer) {
    res.status(status);
    res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
    res.send(json.write(answer));
  }
}

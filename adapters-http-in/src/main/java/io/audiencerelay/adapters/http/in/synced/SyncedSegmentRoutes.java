package io.audiencerelay.adapters.http.in.synced;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.RelayHttpServer;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.application.port.in.AcceptExternalChangesUseCase;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.SegmentId;
import io.audiencerelay.domain.UserIdentifier;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A LaunchDarkly-style synced-segments receiver at {@code POST
 * /api/v2/segment-targets/{integrationKey}}: any sender that can push to LaunchDarkly (Amplitude,
 * Segment, Census, Hightouch, RudderStack, Heap, Tealium, Zeotap...) can feed a relay destination.
 * Answers 204 (or the source's templated JSON), 400 naming the pointer that failed, 401 without a
 * token, 403 with a wrong one, 404 for an unknown integration key, 429 under back-pressure.
 */
public final class SyncedSegmentRoutes implements HttpService {
  static final String PATH = "/api/v2/segment-targets/{integrationKey}";

  private final Map<String, SyncedSegmentSource> sources = new HashMap<>();
  private final AcceptExternalChangesUseCase accept;
  private final ObjectMapper json;
  private final Clock clock;
  private final long maxBodyBytes;

  public SyncedSegmentRoutes(
      List<SyncedSegmentSource> sources,
      AcceptExternalChangesUseCase accept,
      ObjectMapper json,
      Clock clock,
      long maxBodyBytes) {
    // Integration keys match case-insensitively, as LaunchDarkly's own.
    sources.forEach(s -> this.sources.put(s.integrationKey().toLowerCase(Locale.ROOT), s));
    this.accept = accept;
    this.json = json;
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post(PATH, this::receive);
  }

  private void receive(ServerRequest req, ServerResponse res) {
    String key = req.path().pathParameters().get("integrationKey");
    SyncedSegmentSource source = sources.get(key.toLowerCase(Locale.ROOT));
    if (source == null) {
      error(res, Status.NOT_FOUND_404, "not_found", "integration with key " + key + " not found");
      return;
    }
    String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse("").strip();
    if (authorization.isEmpty()) {
      error(
          res,
          Status.UNAUTHORIZED_401,
          "unauthorized",
          "an access token is required in Authorization");
      return;
    }
    String token =
        authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).strip()
            : authorization;
    if (!MessageDigest.isEqual(
        token.getBytes(StandardCharsets.UTF_8), source.token().getBytes(StandardCharsets.UTF_8))) {
      error(
          res,
          Status.FORBIDDEN_403,
          "forbidden",
          "the access token is not valid for this integration");
      return;
    }
    byte[] body;
    try {
      body = RequestBodies.whole(req, maxBodyBytes);
    } catch (RequestBodies.BodyException e) {
      if (e.status().code() == Status.TOO_MANY_REQUESTS_429.code()) {
        RelayHttpServer.busy(res);
      }
      error(
          res,
          e.status(),
          switch (e.status().code()) {
            case 400 -> "invalid_request";
            case 429 -> "rate_limited";
            default -> "invalid_body";
          },
          e.getMessage());
      return;
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      answer(res, source, null, Status.BAD_REQUEST_400, "malformed JSON body", null);
      return;
    }
    SyncedSegmentParser.Parsed parsed;
    try {
      parsed = source.parser().parse(root);
    } catch (SyncedSegmentParser.UnreadableException e) {
      answer(res, source, root, Status.BAD_REQUEST_400, e.getMessage(), null);
      return;
    }
    if (parsed.members().isEmpty()) {
      answer(res, source, root, Status.NO_CONTENT_204, null, parsed); // nothing to change: a no-op
      return;
    }
    var now = clock.instant();
    String kind = "CONTEXT_" + parsed.contextKind().toUpperCase(Locale.ROOT);
    List<MembershipChange> changes = new ArrayList<>(parsed.members().size());
    try {
      for (SyncedSegmentParser.Member member : parsed.members()) {
        var segment =
            new ExternalSegment(
                new FeedId("synced-" + source.integrationKey()),
                new SegmentId(member.cohortId()),
                null);
        changes.add(
            new MembershipChange(
                segment,
                member.included() ? MembershipOperation.ADD : MembershipOperation.REMOVE,
                List.of(new UserIdentifier.ExternalUserId(kind, member.id())),
                now));
      }
    } catch (IllegalArgumentException invalid) {
      // A cohort or member id that no id may be (a control character, say): named, not stored.
      answer(res, source, root, Status.BAD_REQUEST_400, invalid.getMessage(), null);
      return;
    }
    switch (accept.accept(source.destination(), changes)) {
      case UserSegmentUpdateResult.Accepted ok ->
          answer(res, source, root, Status.NO_CONTENT_204, null, parsed);
      case UserSegmentUpdateResult.Retry retry -> {
        long waitMs = Math.max(1000, retry.after().toMillis());
        res.header(HeaderNames.RETRY_AFTER, Long.toString((waitMs + 999) / 1000));
        res.header(HeaderNames.create("X-Ratelimit-Reset"), Long.toString(clock.millis() + waitMs));
        answer(res, source, root, Status.TOO_MANY_REQUESTS_429, retry.message(), null);
      }
      case UserSegmentUpdateResult.NoEligibleIdentifier none ->
          answer(res, source, root, Status.BAD_REQUEST_400, none.message(), null);
      case Failed failed ->
          answer(res, source, root, Status.SERVICE_UNAVAILABLE_503, failed.message(), null);
    }
  }

  /** The source's template when it has one (success or failure), else 204 or a JSON error. */
  private void answer(
      ServerResponse res,
      SyncedSegmentSource source,
      JsonNode request,
      Status status,
      String error,
      SyncedSegmentParser.Parsed parsed) {
    if (source.responseTemplate() != null) {
      Map<String, Object> context = new LinkedHashMap<>();
      context.put(
          "requestBody", request == null ? Map.of() : json.convertValue(request, Map.class));
      boolean ok = error == null;
      context.put("statusCode", ok ? 200 : status.code());
      context.put("errorMessage", ok ? "" : error);
      context.put("projectKey", "default");
      String segmentKey =
          ok && parsed != null && !parsed.members().isEmpty()
              ? source.integrationKey() + "-" + parsed.members().getFirst().cohortId()
              : "";
      context.put("environmentKey", ok && parsed != null ? parsed.environmentId() : "");
      context.put("segmentKey", segmentKey);
      context.put(
          "segmentUrl",
          segmentKey.isEmpty()
              ? ""
              : "https://app.launchdarkly.com/default/production/segments/"
                  + segmentKey
                  + "/targeting");
      var rendered = source.responseTemplate().render(context, json);
      if (rendered.isPresent()) {
        send(res, ok ? Status.OK_200 : status, rendered.get());
        return;
      }
    }
    if (error == null) {
      res.status(Status.NO_CONTENT_204).send();
      return;
    }
    error(
        res,
        status,
        status.code() == 429
            ? "rate_limited"
            : status.code() >= 500 ? "unavailable" : "invalid_request",
        error);
  }

  private void error(ServerResponse res, Status status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    send(res, status, json.valueToTree(body));
  }

  private void send(ServerResponse res, Status status, JsonNode body) {
    res.status(status);
    res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
    try {
      res.send(json.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.audiencerelay.adapters.http.in.mapp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.RelayHttpServer;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.SegmentId;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.hashing.Hashing;
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
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Mapp DMP "DIY integration" endpoint at {@code /mapp/diy}: {@code GET} for Mapp's validation;
 * {@code POST ?type=VALIDATE | CREATE_AUDIENCE | ADD_TO_AUDIENCE | REMOVE_FROM_AUDIENCE}. Every
 * POST is checked against {@code X-HMAC} (hex HMAC-SHA1 of the raw body, compared in constant time)
 * and Basic Auth when configured, before the body is parsed. Mutations are queued durably and
 * answered at once, as Mapp asks. Errors answer {@code {"error": ...}}, the key Mapp's UI shows.
 */
public final class MappDiyRoutes implements HttpService {
  static final String PATH = "/mapp/diy";
  static final int MAX_MUTATIONS = 1_000;
  private static final String FEED_PREFIX = "mapp-";
  private static final io.helidon.http.HeaderName X_HMAC = HeaderNames.create("X-HMAC");
  private static final String EXTERNAL_USER_ID = "MAPP_EXTERNAL_USER_ID";
  private static final String UUID = "MAPP_UUID";
  private static final String NOT_CONFIGURED =
      "The Mapp DIY endpoint is not configured: set mapp.secret (and mapp.destination) in the relay's configuration";

  private final Optional<MappDiy> mapp;
  private final ObjectMapper json;
  private final MappRequestReader reader;
  private final MappSignature signature;
  private final Clock clock;
  private final long maxBodyBytes;

  public MappDiyRoutes(Optional<MappDiy> mapp, ObjectMapper json, Clock clock, long maxBodyBytes) {
    this.mapp = mapp;
    this.json =
        json.copy()
            .configure(
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                false);
    this.reader = new MappRequestReader(this.json.getFactory());
    this.signature = mapp.map(MappDiy::secret).map(MappSignature::new).orElse(null);
    this.clock = clock;
    this.maxBodyBytes = maxBodyBytes;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record MappRequest(
      @JsonProperty("Type") String type,
      @JsonProperty("Name") String name,
      @JsonProperty("Customer") JsonNode customer,
      @JsonProperty("Audience") String audience,
      @JsonProperty("Mutations") List<Mutation> mutations) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Mutation(
      @JsonProperty("Uuid") String uuid,
      @JsonProperty("Audience") String audience,
      @JsonProperty("Customer") JsonNode customer,
      @JsonProperty("External_user_id") String externalUserId) {}

  @Override
  public void routing(HttpRules rules) {
    rules.get(PATH, this::probe).post(PATH, this::post);
  }

  private void probe(ServerRequest req, ServerResponse res) {
    if (mapp.isEmpty()) {
      error(res, Status.NOT_FOUND_404, NOT_CONFIGURED);
      return;
    }
    res.status(Status.OK_200).send();
  }

  private void post(ServerRequest req, ServerResponse res) {
    if (mapp.isEmpty()) {
      error(res, Status.NOT_FOUND_404, NOT_CONFIGURED);
      return;
    }
    MappDiy config = mapp.get();
    byte[] body;
    try {
      body = RequestBodies.whole(req, maxBodyBytes);
    } catch (RequestBodies.BodyException e) {
      if (e.status().code() == Status.TOO_MANY_REQUESTS_429.code()) {
        RelayHttpServer.busy(res);
      }
      error(res, e.status(), e.getMessage());
      return;
    }
    if (config.basicUser() != null && !basicAuthMatches(req, config)) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"audience-relay\"");
      error(res, Status.UNAUTHORIZED_401, "unauthorized");
      return;
    }
    String queryType =
        req.query().first("type").map(t -> t.strip().toUpperCase(Locale.ROOT)).orElse(null);
    boolean validate = "VALIDATE".equals(queryType);
    if (config.secret() != null) {
      Optional<String> signed = req.headers().first(X_HMAC);
      // VALIDATE may come unsigned (Mapp's UI sends it so, unless sign_validate); a signature that
      // is present is checked on every type, VALIDATE included.
      boolean required = !validate || config.signedValidate();
      if (signed.isEmpty() ? required : !signature.matches(body, signed.get())) {
        error(res, Status.UNAUTHORIZED_401, "invalid signature");
        return;
      }
    }
    MappRequest request = read(body);
    if (request == null) {
      error(res, Status.BAD_REQUEST_400, "malformed JSON body");
      return;
    }
    String bodyType =
        request.type() == null ? null : request.type().strip().toUpperCase(Locale.ROOT);
    if (queryType != null && bodyType != null && !queryType.equals(bodyType)) {
      error(
          res,
          Status.BAD_REQUEST_400,
          "type mismatch: ?type=" + queryType + " but \"Type\": " + bodyType);
      return;
    }
    String type = queryType != null ? queryType : bodyType;
    if (type == null) {
      error(res, Status.BAD_REQUEST_400, "type is required (?type= or \"Type\")");
      return;
    }
    try {
      dispatch(config, type, request, res);
    } catch (IllegalArgumentException invalid) {
      // An id that no id may be (a control character, say): named in Mapp's error shape.
      error(res, Status.BAD_REQUEST_400, invalid.getMessage());
    }
  }

  private void dispatch(MappDiy config, String type, MappRequest request, ServerResponse res) {
    switch (type) {
      case "VALIDATE" -> res.status(Status.OK_200).send();
      case "CREATE_AUDIENCE" -> createAudience(config, request, res);
      case "ADD_TO_AUDIENCE" -> mutate(config, request, MembershipOperation.ADD, res);
      case "REMOVE_FROM_AUDIENCE" -> mutate(config, request, MembershipOperation.REMOVE, res);
      default ->
          error(
              res,
              Status.BAD_REQUEST_400,
              "unknown type '"
                  + type
                  + "' (VALIDATE, CREATE_AUDIENCE, ADD_TO_AUDIENCE, REMOVE_FROM_AUDIENCE)");
    }
  }

  /**
   * The request, read by the streaming reader or else bound by the mapper; null for a body that is
   * not a JSON object. An empty body reads as a request with nothing in it.
   */
  private MappRequest read(byte[] body) {
    if (body.length == 0 || isBlank(body)) {
      return new MappRequest(null, null, null, null, null);
    }
    Optional<MappRequest> streamed = reader.read(body);
    if (streamed.isPresent()) {
      return streamed.get();
    }
    try {
      return json.readValue(body, MappRequest.class);
    } catch (IOException e) {
      return null;
    }
  }

  /** The same customer and name always give the same id, so a repeated creation is harmless. */
  private void createAudience(MappDiy config, MappRequest request, ServerResponse res) {
    String customer = text(request.customer());
    if (customer == null || request.name() == null || request.name().isBlank()) {
      error(res, Status.BAD_REQUEST_400, "CREATE_AUDIENCE needs Customer and Name");
      return;
    }
    String id = audienceId(customer, request.name().strip());
    var segment = new ExternalSegment(new FeedId(FEED_PREFIX + customer), new SegmentId(id), null);
    switch (config.ensure().ensure(config.destination(), segment)) {
      case SegmentCreationResult.Created created -> {
        res.status(Status.OK_200);
        res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
        res.send(write(Map.of("id", id)));
      }
      case Failed failed -> error(res, Status.SERVICE_UNAVAILABLE_503, failed.message());
    }
  }

  private void mutate(
      MappDiy config, MappRequest request, MembershipOperation operation, ServerResponse res) {
    List<Mutation> mutations = request.mutations();
    if (mutations == null || mutations.isEmpty()) {
      error(res, Status.BAD_REQUEST_400, "Mutations is required and must not be empty");
      return;
    }
    if (mutations.size() > MAX_MUTATIONS) {
      error(
          res,
          Status.REQUEST_ENTITY_TOO_LARGE_413,
          "at most " + MAX_MUTATIONS + " mutations per request");
      return;
    }
    List<MembershipChange> changes = new ArrayList<>(mutations.size());
    var now = clock.instant();
    // Mutations of one request mostly share a customer and an audience: one segment for each run.
    ExternalSegment segment = null;
    String segmentCustomer = null;
    for (int i = 0; i < mutations.size(); i++) {
      Mutation mutation = mutations.get(i);
      String customer = mutation == null ? null : text(mutation.customer());
      if (mutation == null
          || customer == null
          || mutation.audience() == null
          || mutation.audience().isBlank()) {
        error(res, Status.BAD_REQUEST_400, "Mutations[" + i + "] needs Audience and Customer");
        return;
      }
      List<UserIdentifier> ids = identifiers(mutation);
      if (ids.isEmpty()) {
        error(res, Status.BAD_REQUEST_400, "Mutations[" + i + "] needs Uuid or External_user_id");
        return;
      }
      if (segment == null
          || !segment.segmentId().value().equals(mutation.audience())
          || !customer.equals(segmentCustomer)) {
        segmentCustomer = customer;
        segment =
            new ExternalSegment(
                new FeedId(FEED_PREFIX + customer), new SegmentId(mutation.audience()), null);
      }
      changes.add(new MembershipChange(segment, operation, ids, now));
    }
    switch (config.accept().accept(config.destination(), changes)) {
      case UserSegmentUpdateResult.Accepted accepted -> res.status(Status.OK_200).send();
      case UserSegmentUpdateResult.Retry retry -> {
        res.header(
            HeaderNames.RETRY_AFTER,
            Long.toString(Math.max(1, (retry.after().toMillis() + 999) / 1000)));
        error(res, Status.TOO_MANY_REQUESTS_429, retry.message());
      }
      case UserSegmentUpdateResult.NoEligibleIdentifier none ->
          error(res, Status.BAD_REQUEST_400, none.message());
      case Failed failed -> error(res, Status.SERVICE_UNAVAILABLE_503, failed.message());
    }
  }

  /** The mutation's external user id, then its UUID, each when present: empty when neither is. */
  private static List<UserIdentifier> identifiers(Mutation mutation) {
    UserIdentifier external =
        mutation.externalUserId() == null || mutation.externalUserId().isBlank()
            ? null
            : new UserIdentifier.ExternalUserId(EXTERNAL_USER_ID, mutation.externalUserId());
    UserIdentifier uuid =
        mutation.uuid() == null || mutation.uuid().isBlank()
            ? null
            : new UserIdentifier.ExternalUserId(UUID, mutation.uuid());
    if (external == null) {
      return uuid == null ? List.of() : List.of(uuid);
    }
    return uuid == null ? List.of(external) : List.of(external, uuid);
  }

  /** {@code m<customer>-<first 16 hex of SHA-256(name)>}. */
  static String audienceId(String customer, String name) {
    return "m" + customer + "-" + Hashing.sha256(name, Hashing.Encoding.HEX).substring(0, 16);
  }

  private static boolean basicAuthMatches(ServerRequest req, MappDiy config) {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (config.basicUser() + ":" + config.basicPassword())
                        .getBytes(StandardCharsets.UTF_8));
    String given = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.strip().getBytes(StandardCharsets.UTF_8));
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || !node.isValueNode()) {
      return null;
    }
    String text = node.asText().strip();
    return text.isEmpty() ? null : text;
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  private void error(ServerResponse res, Status status, String message) {
    res.status(status);
    res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
    res.send(write(Map.of("error", message)));
  }

  private byte[] write(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

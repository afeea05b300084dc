package io.audiencerelay.adapters.partner.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.PartnerHttp.Answer;
import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.hashing.Hashing;
import io.audiencerelay.domain.hashing.Hashing.Encoding;
import io.audiencerelay.domain.hashing.Normalization;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Meta Custom Audiences: one customer-list audience per segment under an ad account, found again by
 * name so a retried creation never makes a second one; users added ({@code POST /{id}/users}) and
 * removed ({@code DELETE /{id}/users}) in calls of at most 10,000 rows with the multi-key schema
 * {@code EMAIL, MADID, EXTERN_ID} (every key SHA-256 hashed but EXTERN_ID, as Meta's own SDK does).
 * Built against Meta's public Marketing API documentation and tested with MockWebServer.
 */
public final class MetaPartnerConnector implements PartnerConnector {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(MetaPartnerConnector.class.getName());
  public static final String TYPE = "meta";
  static final String GRAPH_HOST = "https://graph.facebook.com";
  private static final Pattern NAMES_A_VERSION = Pattern.compile(".*/v\\d+\\.\\d+/?$");
  static final int MAX_BATCH = 10_000;
  static final List<String> SCHEMA = List.of("EMAIL", "MADID", "EXTERN_ID");

  /**
   * Rate limits that Meta sends as HTTP 400 with an error code (Marketing API error reference and
   * rate-limiting pages): 4 application, 17 user, 32 page, 341 application limit, 613 calls per
   * hour, 80004 ads-management calls to the ad account.
   */
  static final Set<Integer> THROTTLING_CODES = Set.of(4, 17, 32, 341, 613, 80004);

  /** Subcodes of those limits (17/2446079 user, 613/1487742 ad account). */
  static final Set<Integer> THROTTLING_SUBCODES = Set.of(2446079, 1487742);

  /** "An unknown error occurred" and "Service temporarily unavailable": worth another try. */
  static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2);

  /** Permission errors: 10 (application permission), 200 to 299 (permissions). */
  static boolean isPermissionCode(int code) {
    return code == 10 || (code >= 200 && code <= 299);
  }

  /**
   * Flagged audience (operation_status 471): memberships cannot change until someone resolves it.
   */
  static final int FLAGGED_AUDIENCE_SUBCODE = 1713230;

  static final Duration THROTTLED_WAIT = Duration.ofMinutes(1);

  /**
   * A permission or a flagged audience needs a person in Business Manager: ask again much later.
   */
  static final Duration NEEDS_A_PERSON_WAIT = Duration.ofMinutes(15);

  /** Marks, in a refusal's reason, the answers that need more than a retry of the same call. */
  static final String AMBIGUOUS = "(code 100, subcode 33)";

  static final String PERMISSION = "(permission error)";
  static final String FLAGGED = "(flagged audience)";

  /** A raw mobile advertising id, bare or as {@code mob:<os>:raw:<id>}; hashed ids are not. */
  private static final Pattern RAW_MOBILE_ID =
      Pattern.compile("^(?:mob:[a-z]+:raw:)?([^:]+)$", Pattern.CASE_INSENSITIVE);

  private final PartnerHttp http;
  private final ObjectMapper json;
  private final Clock clock;
  private final MetaOAuth oauth;

  public MetaPartnerConnector(PartnerHttp http, ObjectMapper json, Clock clock) {
    this.http = http;
    this.json = json;
    this.clock = clock;
    this.oauth = new MetaOAuth(http, json, clock);
  }

  /**
   * The ad-account choices need a login (a token or a user's grant); testing stored credentials
   * needs the Meta app that issued them.
   */
  @Override
  public java.util.Set<PartnerCapability> capabilities(Destination destination) {
    return MetaOAuth.APP.namedBy(destination)
        ? java.util.EnumSet.of(
            PartnerCapability.DYNAMIC_PROPERTY_VALUES, PartnerCapability.TEST_AUTHENTICATION)
        : java.util.EnumSet.of(PartnerCapability.DYNAMIC_PROPERTY_VALUES);
  }

  /** Meta is reached with a user's Facebook Login when the destination names a Meta app. */
  @Override
  public Optional<OAuthProvider> oauth(Destination destination) {
    return MetaOAuth.APP.namedBy(destination) ? Optional.of(oauth) : Optional.empty();
  }

  /**
   * Meta's error codes first: rate limits arrive as 400; an expired or revoked token (190) needs a
   * new grant; 100/33 is ambiguous (the object is gone, or the token's system user may not see it),
   * and a permission error is not the users' fault: both are marked for the caller.
   */
  static PartnerHttp.ErrorTable errors(ObjectMapper json) {
    return (status, body, headers, delay) -> {
      if (status < 400) {
        return Optional.empty();
      }
      JsonNode error = parse(json, body).path("error");
      int code = error.path("code").asInt(-1);
      int subcode = error.path("error_subcode").asInt(-1);
      String message = error.path("message").asText("");
      if (THROTTLING_CODES.contains(code) || THROTTLING_SUBCODES.contains(subcode)) {
        return Optional.of(
            new Answer.Retry(
                delay.isZero() ? THROTTLED_WAIT : delay,
                "Meta throttled the call (code " + code + "): " + message));
      }
      if (TRANSIENT_CODES.contains(code)) {
        return Optional.of(
            new Answer.Retry(delay, "Meta had a passing error (code " + code + "): " + message));
      }
      if (code == 100 && subcode == 33) {
        return Optional.of(
            new Answer.Refused(
                status,
                "Meta answered "
                    + AMBIGUOUS
                    + ": the object does not exist, or the token's system user has no role on"
                    + " the ad account that owns it: "
                    + message));
      }
      if (subcode == FLAGGED_AUDIENCE_SUBCODE) {
        return Optional.of(
            new Answer.Refused(
                status,
                "Meta blocks this audience "
                    + FLAGGED
                    + ": resolve its restrictions in Audience Manager: "
                    + message));
      }
      if (isPermissionCode(code)) {
        return Optional.of(
            new Answer.Refused(
                status,
                "Meta refused the call "
                    + PERMISSION
                    + " (code "
                    + code
                    + "): give the token's user a role on the ad account: "
                    + message));
      }
      if (code == 190) {
        return Optional.of(
            new Answer.Refused(
                status, "Meta access token invalid or expired (code 190): " + message));
      }
      return Optional.empty();
    };
  }

  /** The ad accounts the logged-in user can reach ({@code ad_account_id} choices). */
  @Override
  public DynamicPropertyValuesResult dynamicPropertyValues(
      Destination destination,
      DynamicPropertyValuesQuery query,
      Optional<DestinationCredentials> credentials) {
    if (destination.setting("access_token").isEmpty()) {
      return new Failed("No Meta login to list ad accounts with");
    }
    HttpUrl accounts =
        url(destination, "me", "adaccounts")
            .newBuilder()
            .addQueryParameter("fields", "name,account_id")
            .addQueryParameter("limit", "100")
            .build();
    Answer answer = http.send(get(destination, accounts), errors(json));
    if (!(answer instanceof Answer.Ok ok)) {
      return new Failed("Meta did not list the ad accounts: " + answer.reason());
    }
    List<DynamicPropertyValuesResult.Choice> choices = new ArrayList<>();
    for (JsonNode account : parse(json, ok.body()).path("data")) {
      String id = account.path("account_id").asText("");
      if (!id.isEmpty()) {
        choices.add(
            new DynamicPropertyValuesResult.Choice(
                account.path("name").asText("Ad account") + " (act_" + id + ")", "act_" + id));
      }
    }
    return choices.isEmpty()
        ? new DynamicPropertyValuesResult.Empty("This Meta login reaches no ad account")
        : new DynamicPropertyValuesResult.Values(
            List.of(new DynamicPropertyValuesResult.PropertyChoices("ad_account_id", choices)));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> problems = new ArrayList<>(MetaOAuth.APP.problems(destination));
    if (destination
        .setting("ad_account_id")
        .map(id -> id.replaceFirst("^act_", ""))
        .filter(id -> id.matches("\\d+"))
        .isEmpty()) {
      problems.add("ad_account_id is required (the numeric ad account id, with or without act_)");
    }
    GraphVersion.problem(destination).ifPresent(problems::add);
    Optional<String> base = destination.setting("base_url");
    if (base.isPresent() && HttpUrl.parse(base.get()) == null) {
      problems.add("base_url must be an http or https URL");
    } else if (base.isPresent() && NAMES_A_VERSION.matcher(base.get()).matches()) {
      problems.add(
          "base_url names a Graph API version: give the host only and the version in"
              + " graph_version (default "
              + GraphVersion.DEFAULT
              + ")");
    }
    destination
        .setting("hash_madid")
        .filter(value -> !value.equals("true") && !value.equals("false"))
        .ifPresent(value -> problems.add("hash_madid must be true or false, got '" + value + "'"));
    return problems;
  }

  /** A Graph API version past or near its published end. */
  @Override
  public List<String> settingWarnings(Destination destination) {
    return GraphVersion.warning(destination, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))
        .stream()
        .toList();
  }

  @Override
  public int maxBatchSize(Destination destination) {
    return MAX_BATCH;
  }

  @Override
  public boolean accepts(Destination destination, UserIdentifier identifier) {
    return !row(List.of(identifier), hashMadid(destination)).stream().allMatch(String::isEmpty);
  }

  /**
   * Finds the audience named after the segment in the ad account, or creates it: never a second
   * one.
   */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = segment.defaultAudienceName();
    switch (findInAccount(destination, audience -> name.equals(audience.path("name").asText()))) {
      case Lookup.Found found -> {
        return new AudienceOutcome.Ready(
            new PartnerAudience(found.audience().path("id").asText(), name));
      }
      case Lookup.Failed failed -> {
        return failed.answer().toAudienceOutcome();
      }
      case Lookup.NotFound notFound -> {
        // Not there: create it below.
      }
    }
    Request create =
        new Request.Builder()
            .url(url(destination, "act_" + adAccount(destination), "customaudiences"))
            .post(
                new FormBody.Builder()
                    .add("name", name)
                    .add("subtype", "CUSTOM")
                    .add("customer_file_source", "USER_PROVIDED_ONLY")
                    .add(
                        "description",
                        "mediarithmics segment " + segment.segmentId() + " (audience-relay)")
                    .add("access_token", token(destination))
                    .build())
            .build();
    Answer created = http.send(create, errors(json));
    if (created instanceof Answer.Ok ok) {
      String id = parse(json, ok.body()).path("id").asText("");
      return id.isEmpty()
          ? new AudienceOutcome.Retry(Duration.ZERO, "Meta created the audience but returned no id")
          : new AudienceOutcome.Ready(new PartnerAudience(id, name));
    }
    return created.toAudienceOutcome();
  }

  /** What a search of the ad account's custom audiences found. */
  private sealed interface Lookup {
    record Found(JsonNode audience) implements Lookup {}

    record NotFound() implements Lookup {}

    record Failed(Answer answer) implements Lookup {}
  }

  /** Pages through the ad account's custom audiences (50 pages of 500 at most) for a match. */
  private Lookup findInAccount(Destination destination, Predicate<JsonNode> match) {
    HttpUrl next =
        url(destination, "act_" + adAccount(destination), "customaudiences")
            .newBuilder()
            .addQueryParameter("fields", "id,name")
            .addQueryParameter("limit", "500")
            .build();
    for (int page = 0; next != null && page < 50; page++) {
      Answer answer = http.send(get(destination, next), errors(json));
      if (!(answer instanceof Answer.Ok ok)) {
        return new Lookup.Failed(answer);
      }
      JsonNode body = parse(json, ok.body());
      for (JsonNode audience : body.path("data")) {
        if (match.test(audience)) {
          return new Lookup.Found(audience);
        }
      }
      next = sameHost(destination, body.path("paging").path("next").asText(null));
    }
    return new Lookup.NotFound();
  }

  /** Meta's view of the audience: its approximate size and its operation and delivery status. */
  @Override
  public TroubleshootResult describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    if (audience.isEmpty()) {
      return new NotImplemented(null);
    }
    HttpUrl url =
        url(destination, audience.get().id())
            .newBuilder()
            .addQueryParameter(
                "fields",
                "id,name,approximate_count_lower_bound,approximate_count_upper_bound,"
                    + "operation_status,delivery_status")
            .build();
    Answer answer = http.send(get(destination, url), errors(json));
    if (!(answer instanceof Answer.Ok ok)) {
      return new Failed("Meta did not describe the audience: " + answer.reason());
    }
    JsonNode found = parse(json, ok.body());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("audience_id", audience.get().id());
    for (String bound : List.of("approximate_count_lower_bound", "approximate_count_upper_bound")) {
      if (found.path(bound).canConvertToLong()) {
        data.put(bound, found.path(bound).asLong());
      }
    }
    for (String status : List.of("operation_status", "delivery_status")) {
      JsonNode node = found.path(status);
      if (node.isObject()) {
        data.put(
            status,
            node.path("code").asInt(-1) + " " + node.path("description").asText("").strip());
      }
    }
    return new TroubleshootResult.Found("Meta custom audience", data);
  }

  /**
   * Tests the feed destination's stored login (the long-lived token the platform keeps): Meta must
   * still honour it.
   */
  @Override
  public CredentialsTestResult testAuthentication(
      Destination destination, DestinationCredentials credentials) {
    String token = credentials.values().get("refresh_token");
    if (!MetaOAuth.APP.namedBy(destination) || token == null) {
      return new NotImplemented(null);
    }
    HttpUrl me = url(destination, "me").newBuilder().addQueryParameter("fields", "id").build();
    return switch (http.send(
        get(destination.withSetting("access_token", token), me), errors(json))) {
      case Answer.Ok ok -> new CredentialsTestResult.Valid("Meta login valid");
      case Answer.Refused refused ->
          new CredentialsTestResult.Invalid("Meta refused the login: " + refused.reason());
      case Answer.Retry retry ->
          new Failed("Meta could not check the login now: " + retry.reason());
    };
  }

  /**
   * The audience is still there and takes users. Meta answers 100/33 both for a deleted audience
   * and for a token that may not see it: the ad account's list decides, so a permission problem is
   * reported as one and never taken for a deletion.
   */
  @Override
  public AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    HttpUrl url =
        url(destination, audience.id())
            .newBuilder()
            .addQueryParameter("fields", "id,name,operation_status")
            .build();
    Answer answer = http.send(get(destination, url), errors(json));
    if (answer instanceof Answer.Ok ok) {
      JsonNode status = parse(json, ok.body()).path("operation_status");
      return status.path("code").asInt(-1) == 471
          ? new AudienceOutcome.Rejected(
              "Meta flagged audience "
                  + audience.id()
                  + " (operation_status 471): resolve its restrictions in Audience Manager")
          : new AudienceOutcome.Ready(audience);
    }
    if (!(answer instanceof Answer.Refused refused && refused.reason().contains(AMBIGUOUS))) {
      return answer.toAudienceOutcome();
    }
    return switch (findInAccount(
        destination, listed -> audience.id().equals(listed.path("id").asText()))) {
      case Lookup.NotFound notFound ->
          new AudienceOutcome.Missing(
              "Meta audience "
                  + audience.id()
                  + " is no longer in ad account act_"
                  + adAccount(destination));
      case Lookup.Found found ->
          new AudienceOutcome.Rejected(
              "Meta lists audience "
                  + audience.id()
                  + " in the ad account but will not show it to this token: "
                  + refused.reason());
      case Lookup.Failed failed ->
          failed.answer() instanceof Answer.Retry retry
              ? new AudienceOutcome.Retry(retry.after(), retry.reason())
              : new AudienceOutcome.Rejected(
                  "Meta would not list the ad account's audiences either, so the token may not"
                      + " reach ad account act_"
                      + adAccount(destination)
                      + ": "
                      + failed.answer().reason());
    };
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    boolean hashMadid = hashMadid(destination);
    List<List<String>> adds = new ArrayList<>();
    List<List<String>> removes = new ArrayList<>();
    for (MembershipChange change : batch.changes()) {
      List<String> row = row(change.identifiers(), hashMadid);
      if (row.stream().allMatch(String::isEmpty)) {
        continue; // nothing Meta can match: skipped, never fails the batch
      }
      (change.operation() == MembershipOperation.ADD ? adds : removes).add(row);
    }
    // The batch holds one change per user (the last): adds and removes never name the same user.
    if (!adds.isEmpty()) {
      DeliveryOutcome added = send(destination, audience, "POST", adds, batch.id() + "-add");
      if (!(added instanceof DeliveryOutcome.Ok)) {
        return added;
      }
    }
    if (!removes.isEmpty()) {
      return send(destination, audience, "DELETE", removes, batch.id() + "-remove");
    }
    return DeliveryOutcome.ok();
  }

  /**
   * One call, as a complete one-batch upload session: the delivery core already cuts batches at
   * 10,000 rows and paces every call, so each call is its own session ({@code batch_seq} 1, the
   * last one, with its row count as {@code estimated_num_total}). The session id is derived from
   * the batch id, so a retried call is recognisably the same upload.
   */
  private DeliveryOutcome send(
      Destination destination,
      PartnerAudience audience,
      String method,
      List<List<String>> rows,
      String sessionKey) {
    ObjectNode payload = json.createObjectNode();
    ArrayNode schema = payload.putArray("schema");
    SCHEMA.forEach(schema::add);
    ArrayNode data = payload.putArray("data");
    for (List<String> row : rows) {
      ArrayNode values = data.addArray();
      row.forEach(values::add);
    }
    ObjectNode session = json.createObjectNode();
    session.put("session_id", sessionId(sessionKey));
    session.put("batch_seq", 1);
    session.put("last_batch_flag", true);
    session.put("estimated_num_total", rows.size());
    FormBody body =
        new FormBody.Builder()
            .add("payload", payload.toString())
            .add("session", session.toString())
            .add("access_token", token(destination))
            .build();
    Request request =
        new Request.Builder()
            .url(url(destination, audience.id(), "users"))
            .method(method, body)
            .build();
    return switch (http.send(request, errors(json))) {
      case Answer.Ok ok -> {
        reportInvalidEntries(audience, method, rows.size(), parse(json, ok.body()));
        yield DeliveryOutcome.ok();
      }
      // An expired or revoked token is the user's login, not the users: they wait for a new one.
      case Answer.Refused refused when refused.reason().contains("(code 190)") ->
          new DeliveryOutcome.AwaitingAuthentication(refused.reason());
      // A person must act in Business Manager; refusing the users (or splitting the call to find
      // the bad ones) would be wrong: the same call waits and is tried again.
      case Answer.Refused refused
          when refused.reason().contains(AMBIGUOUS)
              || refused.reason().contains(PERMISSION)
              || refused.reason().contains(FLAGGED) ->
          new DeliveryOutcome.Retry(NEEDS_A_PERSON_WAIT, refused.reason());
      case Answer other -> other.toDeliveryOutcome();
    };
  }

  /** Meta counts rows it could not read; the count is logged, never the rows. */
  private static void reportInvalidEntries(
      PartnerAudience audience, String method, int sent, JsonNode answer) {
    long invalid = answer.path("num_invalid_entries").asLong(0);
    if (invalid > 0) {
      LOG.warning(
          () ->
              "Meta found "
                  + invalid
                  + " invalid row(s) of "
                  + sent
                  + " in a "
                  + method
                  + " to audience "
                  + audience.id());
    }
  }

  /** A positive 63-bit id, stable for a key: Meta's session ids are 64-bit integers. */
  static long sessionId(String key) {
    byte[] digest = java.util.HexFormat.of().parseHex(Hashing.sha256(key, Encoding.HEX));
    long id = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      id = (id << 8) | (digest[i] & 0xff);
    }
    return id & Long.MAX_VALUE;
  }

  /**
   * One row of the schema, "" where unknown: the hashed e-mail; the mobile advertising id,
   * normalised and (by default) hashed; the external id in clear, as Meta's hashing table asks.
   */
  static List<String> row(List<UserIdentifier> identifiers, boolean hashMadid) {
    String email = "";
    String madid = "";
    String externId = "";
    for (UserIdentifier identifier : identifiers) {
      if (identifier instanceof UserIdentifier.UserEmail e && email.isEmpty()) {
        email = hashedEmail(e).orElse("");
      } else if (identifier instanceof UserIdentifier.DeviceTechnicalId d
          && madid.isEmpty()
          && d.kind().equals("MOBILE_ADVERTISING_ID")) {
        madid = mobileId(d.deviceId(), hashMadid).orElse("");
      } else if (identifier instanceof UserIdentifier.UserAccount a && externId.isEmpty()) {
        externId = a.userAccountId().strip();
      }
    }
    return List.of(email, madid, externId);
  }

  /**
   * A raw mobile advertising id, trimmed and lower-cased with its hyphens kept, then SHA-256 hex
   * unless the destination says not to hash it.
   */
  static Optional<String> mobileId(String deviceId, boolean hash) {
    Matcher raw = RAW_MOBILE_ID.matcher(deviceId.strip());
    if (!raw.matches()) {
      return Optional.empty(); // an already-hashed id of unknown normalisation: unusable
    }
    String normalised = raw.group(1).toLowerCase(Locale.ROOT);
    return Optional.of(hash ? Hashing.sha256(normalised, Encoding.HEX) : normalised);
  }

  /**
   * A SHA-256 of the normalised address; a platform hash is used only when it is already a SHA-256.
   */
  static Optional<String> hashedEmail(UserIdentifier.UserEmail email) {
    if (email.email() != null) {
      return Normalization.email(email.email()).map(clear -> Hashing.sha256(clear, Encoding.HEX));
    }
    return email.hash() != null && Hashing.isSha256(email.hash())
        ? Optional.of(Hashing.sha256OrAsIs(email.hash(), Encoding.HEX))
        : Optional.empty();
  }

  private static boolean hashMadid(Destination destination) {
    return !destination.setting("hash_madid").orElse("true").equals("false");
  }

  private Request get(Destination destination, HttpUrl url) {
    return new Request.Builder()
        .url(url.newBuilder().setQueryParameter("access_token", token(destination)).build())
        .get()
        .build();
  }

  /**
   * The next page's URL when it is on the configured Graph host, else null: it is fetched with the
   * access token, which must never go to another host.
   */
  static HttpUrl sameHost(Destination destination, String next) {
    HttpUrl url = next == null ? null : HttpUrl.parse(next);
    HttpUrl base = HttpUrl.parse(baseUrl(destination));
    if (url == null || base == null) {
      return null;
    }
    if (!url.host().equals(base.host())
        || url.port() != base.port()
        || !url.scheme().equals(base.scheme())) {
      LOG.warning(() -> "Meta paging points to another host (" + url.host() + "): not followed");
      return null;
    }
    return url;
  }

  private static HttpUrl url(Destination destination, String... segments) {
    HttpUrl.Builder builder = HttpUrl.get(baseUrl(destination)).newBuilder();
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder.build();
  }

  /** The Graph host ({@code base_url}, for a proxy or a test) and the graph_version. */
  static String baseUrl(Destination destination) {
    String host = destination.setting("base_url").orElse(GRAPH_HOST).replaceAll("/+$", "");
    return host + "/" + GraphVersion.of(destination);
  }

  private static String token(Destination destination) {
    return destination.setting("access_token").orElseThrow();
  }

  private static String adAccount(Destination destination) {
    return destination.setting("ad_account_id").orElseThrow().replaceFirst("^act_", "");
  }

  private static JsonNode parse(ObjectMapper json, byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }

  private static JsonNode parse(ObjectMapper json, String body) {
    try {
      return body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}

package io.audiencerelay.adapters.partner.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.adapters.partner.http.PartnerHttp;
import io.audiencerelay.adapters.partner.http.PartnerHttp.Answer;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Meta Custom Audiences: one customer-list audience per segment under an ad account, found again by
 * name so a retried creation never makes a second one; users added ({@code POST /{id}/users}) and
 * removed ({@code DELETE /{id}/users}) in batches of at most 10,000 rows with the multi-key schema
 * {@code EMAIL_SHA256, MADID, EXTERN_ID}. Built against Meta's public Marketing API documentation
 * and tested with MockWebServer.
 */
public final class MetaPartnerConnector implements PartnerConnector {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(MetaPartnerConnector.class.getName());
  public static final String TYPE = "meta";
  static final String DEFAULT_BASE_URL = "https://graph.facebook.com/v21.0";
  static final int MAX_BATCH = 10_000;
  static final List<String> SCHEMA = List.of("EMAIL_SHA256", "MADID", "EXTERN_ID");

  /** Throttling and temporary errors that Meta sends as HTTP 400 (or 5xx) with an error code. */
  static final Set<Integer> THROTTLING_CODES =
      Set.of(1, 2, 4, 17, 32, 341, 613, 80003, 2446079, 1487742);

  static final Duration THROTTLED_WAIT = Duration.ofMinutes(1);
  private static final Pattern MOBILE_ID_PREFIX =
      Pattern.compile("^mob:[a-z]+:raw:", Pattern.CASE_INSENSITIVE);

  private final PartnerHttp http;
  private final ObjectMapper json;
  private final MetaOAuth oauth;

  public MetaPartnerConnector(PartnerHttp http, ObjectMapper json, Clock clock) {
    this.http = http;
    this.json = json;
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
   * Meta's error codes first: throttling arrives as 400; an expired or revoked token (190) needs a
   * new grant.
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
      if (THROTTLING_CODES.contains(code) || THROTTLING_CODES.contains(subcode)) {
        return Optional.of(
            new Answer.Retry(
                delay.isZero() ? THROTTLED_WAIT : delay,
                "Meta throttled the call (code " + code + "): " + message));
      }
      if (code == 100 && (subcode == 33 || message.contains("does not exist"))) {
        return Optional.of(new Answer.Refused(404, "Meta object does not exist: " + message));
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
    if (HttpUrl.parse(baseUrl(destination)) == null) {
      problems.add("base_url must be an http or https URL");
    }
    return problems;
  }

  @Override
  public int maxBatchSize() {
    return MAX_BATCH;
  }

  @Override
  public boolean accepts(Destination destination, UserIdentifier identifier) {
    return !row(List.of(identifier)).stream().allMatch(String::isEmpty);
  }

  /**
   * Finds the audience named after the segment in the ad account, or creates it: never a second
   * one.
   */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = segment.defaultAudienceName();
    HttpUrl next =
        url(destination, "act_" + adAccount(destination), "customaudiences")
            .newBuilder()
            .addQueryParameter("fields", "id,name")
            .addQueryParameter("limit", "500")
            .build();
    for (int page = 0; next != null && page < 50; page++) {
      Answer answer = http.send(get(destination, next), errors(json));
      if (!(answer instanceof Answer.Ok ok)) {
        return answer.toAudienceOutcome();
      }
      JsonNode body = parse(json, ok.body());
      for (JsonNode audience : body.path("data")) {
        if (name.equals(audience.path("name").asText())) {
          return new AudienceOutcome.Ready(new PartnerAudience(audience.path("id").asText(), name));
        }
      }
      next = sameHost(destination, body.path("paging").path("next").asText(null));
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

  /**
   * Checks that the audience still exists: a deleted audience answers an error (code 100) or 404.
   */
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

  @Override
  public AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    HttpUrl url =
        url(destination, audience.id())
            .newBuilder()
            .addQueryParameter("fields", "id,name,operation_status")
            .build();
    Answer answer = http.send(get(destination, url), errors(json));
    return switch (answer) {
      case Answer.Ok ok -> new AudienceOutcome.Ready(audience);
      case Answer.Refused refused when refused.status() == 404 ->
          new AudienceOutcome.Missing(
              "Meta audience " + audience.id() + " no longer exists: " + refused.reason());
      default -> answer.toAudienceOutcome();
    };
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    List<List<String>> adds = new ArrayList<>();
    List<List<String>> removes = new ArrayList<>();
    for (MembershipChange change : batch.changes()) {
      List<String> row = row(change.identifiers());
      if (row.stream().allMatch(String::isEmpty)) {
        continue; // nothing Meta can match: skipped, never fails the batch
      }
      (change.operation() == MembershipOperation.ADD ? adds : removes).add(row);
    }
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

  private DeliveryOutcome send(
      Destination destination,
      PartnerAudience audience,
      String method,
      List<List<String>> rows,
      String sessionId) {
    ObjectNode payload = json.createObjectNode();
    ArrayNode schema = payload.putArray("schema");
    SCHEMA.forEach(schema::add);
    ArrayNode data = payload.putArray("data");
    for (List<String> row : rows) {
      ArrayNode values = data.addArray();
      row.forEach(values::add);
    }
    ObjectNode session = json.createObjectNode();
    // A stable session id per batch lets Meta recognise a retried upload.
    session.put("session_id", Math.abs((long) sessionId.hashCode()));
    session.put("batch_seq", 1);
    session.put("last_batch_flag", true);
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
      // An expired or revoked token is the user's login, not the users: they wait for a new one.
      case Answer.Refused refused when refused.reason().contains("(code 190)") ->
          new DeliveryOutcome.AwaitingAuthentication(refused.reason());
      case Answer other -> other.toDeliveryOutcome();
    };
  }

  /**
   * One row of the schema: the hashed e-mail, the mobile advertising id and the external id, ""
   * where unknown.
   */
  static List<String> row(List<UserIdentifier> identifiers) {
    String email = "";
    String madid = "";
    String externId = "";
    for (UserIdentifier identifier : identifiers) {
      if (identifier instanceof UserIdentifier.UserEmail e && email.isEmpty()) {
        email = hashedEmail(e).orElse("");
      } else if (identifier instanceof UserIdentifier.DeviceTechnicalId d
          && madid.isEmpty()
          && d.kind().equals("MOBILE_ADVERTISING_ID")) {
        madid =
            MOBILE_ID_PREFIX
                .matcher(d.deviceId())
                .replaceFirst("")
                .toLowerCase(java.util.Locale.ROOT);
      } else if (identifier instanceof UserIdentifier.UserAccount a && externId.isEmpty()) {
        externId = a.userAccountId();
      }
    }
    return List.of(email, madid, externId);
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

  static String baseUrl(Destination destination) {
    return destination.setting("base_url").orElse(DEFAULT_BASE_URL);
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

package io.audiencerelay.adapters.partner.linkedin;

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
import io.audiencerelay.application.port.out.GrantOutcome;
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
import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.hashing.Hashing;
import io.audiencerelay.domain.hashing.Hashing.Encoding;
import io.audiencerelay.domain.hashing.Normalization;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * LinkedIn DMP segments: one user segment per platform segment under a sponsored account, found
 * again by name among the account's segments so a retried creation never makes a second one; users
 * sent as {@code BATCH_CREATE} elements with action ADD or REMOVE. A new segment needs a few
 * seconds before it takes users: creation answers "not ready yet", so the first delivery waits. The
 * segment's state is read where LinkedIn keeps it, in its {@code LINKEDIN} destination. Built
 * against LinkedIn's public Marketing API documentation and tested with MockWebServer.
 */
public final class LinkedInPartnerConnector implements PartnerConnector {
  public static final String TYPE = "linkedin";
  static final String DEFAULT_BASE_URL = "https://api.linkedin.com/rest";
  static final String DEFAULT_VERSION = "202610";

  /**
   * LinkedIn gives each Audiences partner its {@code sourcePlatform} value; STREAMING is the
   * schema's streaming value, used until the operator sets theirs.
   */
  static final String DEFAULT_SOURCE_PLATFORM = "STREAMING";

  /** The {@code type} of LinkedIn's "stream user data" flow. */
  static final String DEFAULT_SEGMENT_TYPE = "USER";

  /** Not in LinkedIn's documentation: RudderStack's and Segment's constant, a setting here. */
  static final int DEFAULT_BATCH = 5_000;

  static final int MAX_BATCH_SETTING = 10_000;

  /** The documented per-member limit of {@code /dmpSegments/{id}/users}: 600 calls a minute. */
  static final int DEFAULT_MEMBER_CALLS_PER_MINUTE = 600;

  /** Statuses in which a segment can be targeted (LinkedIn's FAQ); it takes users then. */
  static final Set<String> USABLE =
      Set.of("BUILDING", "PROCESSING", "UPDATING", "READY", "ARCHIVED");

  /** Statuses LinkedIn's FAQ excludes from campaigns: users sent there are wasted. */
  static final Set<String> UNUSABLE = Set.of("EXPIRED", "FAILED", "ERROR");

  static final Duration NEW_SEGMENT_WAIT = Duration.ofSeconds(10);
  static final String ACCOUNT_URN = "urn:li:sponsoredAccount:";

  /** Each choice costs one call for its name; a member rarely has more accounts than this. */
  static final int MAX_ACCOUNT_CHOICES = 50;

  /** Segments asked per page when looking a segment up by name, and pages at most. */
  static final int PAGE_SIZE = 100;

  static final int MAX_PAGES = 50;

  /** LinkedIn sunsets a Marketing API version about a year after its release. */
  static final long VERSION_LIFE_MONTHS = 12;

  private static final MediaType JSON = MediaType.get("application/json");
  private static final Pattern ANDROID_AD_ID =
      Pattern.compile("^mob:and:raw:", Pattern.CASE_INSENSITIVE);
  private static final Pattern VERSION = Pattern.compile("(\\d{4})(\\d{2})");

  /**
   * LinkedIn answers 404 for a few minutes after creating a segment: that is "wait", not "gone".
   */
  static final PartnerHttp.ErrorTable DELIVERY_ERRORS =
      (status, body, headers, delay) ->
          status == 404
              ? Optional.of(
                  new Answer.Retry(
                      delay.isZero() ? NEW_SEGMENT_WAIT : delay,
                      "LinkedIn does not show the segment yet (404); new segments take a few minutes"))
              : Optional.empty();

  private final PartnerHttp http;
  private final ObjectMapper json;
  private final Clock clock;
  private final LinkedInOAuth oauth;
  private final MemberQuota members;

  public LinkedInPartnerConnector(PartnerHttp http, ObjectMapper json, Clock clock) {
    this.http = http;
    this.json = json;
    this.clock = clock;
    this.oauth = new LinkedInOAuth(http, json, clock);
    this.members = new MemberQuota(clock);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> problems = new ArrayList<>(LinkedInOAuth.APP.problems(destination));
    if (destination.setting("ad_account_id").filter(id -> id.matches("\\d+")).isEmpty()) {
      problems.add("ad_account_id is required (the numeric sponsored account id)");
    }
    if (HttpUrl.parse(baseUrl(destination)) == null) {
      problems.add("base_url must be an http or https URL");
    }
    if (!VERSION.matcher(version(destination)).matches()) {
      problems.add(
          "linkedin_version must be a LinkedIn-Version month like "
              + DEFAULT_VERSION
              + ", got '"
              + version(destination)
              + "'");
    }
    for (String key : List.of("source_platform", "segment_type")) {
      destination
          .setting(key)
          .filter(value -> !value.matches("[A-Z][A-Z0-9_]*"))
          .ifPresent(
              value ->
                  problems.add(
                      key + " must be an upper-case LinkedIn enum value, got '" + value + "'"));
    }
    number(destination, "batch_size", DEFAULT_BATCH, MAX_BATCH_SETTING).ifPresent(problems::add);
    number(
            destination,
            "member_calls_per_minute",
            DEFAULT_MEMBER_CALLS_PER_MINUTE,
            DEFAULT_MEMBER_CALLS_PER_MINUTE)
        .ifPresent(problems::add);
    return problems;
  }

  /** A problem with a whole-number setting between 1 and {@code max}, or empty. */
  private static Optional<String> number(Destination destination, String key, int def, int max) {
    String value = destination.setting(key).orElse(Integer.toString(def));
    try {
      int number = Integer.parseInt(value);
      if (number >= 1 && number <= max) {
        return Optional.empty();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return Optional.of(key + " must be a whole number from 1 to " + max + ", got '" + value + "'");
  }

  private static int number(Destination destination, String key, int def) {
    return destination.setting(key).map(Integer::parseInt).orElse(def);
  }

  /** A LinkedIn-Version about to be, or already, sunset (LinkedIn keeps one about a year). */
  @Override
  public List<String> settingWarnings(Destination destination) {
    Matcher version = VERSION.matcher(version(destination));
    if (!version.matches()) {
      return List.of();
    }
    YearMonth released =
        YearMonth.of(Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)));
    YearMonth now = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    YearMonth sunset = released.plusMonths(VERSION_LIFE_MONTHS);
    if (now.isBefore(sunset.minusMonths(1))) {
      return List.of();
    }
    return List.of(
        "linkedin_version "
            + version.group()
            + (now.isBefore(sunset) ? " is sunset next month" : " is probably sunset")
            + ": LinkedIn keeps a Marketing API version about a year (its migration page lists the"
            + " dates); use a recent month such as "
            + DEFAULT_VERSION);
  }

  /**
   * The ad-account choices need a login (a token or a member's grant); testing stored credentials
   * needs the OAuth client that issued them.
   */
  @Override
  public java.util.Set<PartnerCapability> capabilities(Destination destination) {
    return LinkedInOAuth.APP.namedBy(destination)
        ? java.util.EnumSet.of(
            PartnerCapability.DYNAMIC_PROPERTY_VALUES, PartnerCapability.TEST_AUTHENTICATION)
        : java.util.EnumSet.of(PartnerCapability.DYNAMIC_PROPERTY_VALUES);
  }

  /** LinkedIn is reached with a member's grant when the destination names an OAuth client. */
  @Override
  public Optional<OAuthProvider> oauth(Destination destination) {
    return LinkedInOAuth.APP.namedBy(destination) ? Optional.of(oauth) : Optional.empty();
  }

  /** {@code batch_size}: LinkedIn documents no maximum of elements per call. */
  @Override
  public int maxBatchSize(Destination destination) {
    return number(destination, "batch_size", DEFAULT_BATCH);
  }

  @Override
  public boolean accepts(Destination destination, UserIdentifier identifier) {
    return !userIds(List.of(identifier)).isEmpty();
  }

  /**
   * Finds the segment by name among the account's segments of the destination's source platform
   * (LinkedIn's documented finder, paged); creates it only when there is none.
   */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = segment.defaultAudienceName();
    for (int page = 0; page < MAX_PAGES; page++) {
      HttpUrl find =
          url(destination, "dmpSegments")
              .newBuilder()
              .addQueryParameter("q", "account")
              .addQueryParameter("account", account(destination))
              .addQueryParameter("sourcePlatform", sourcePlatform(destination))
              .addQueryParameter("start", Integer.toString(page * PAGE_SIZE))
              .addQueryParameter("count", Integer.toString(PAGE_SIZE))
              .build();
      Answer found =
          http.send(request(destination, find).get().build(), PartnerHttp.ErrorTable.NONE);
      if (!(found instanceof Answer.Ok ok)) {
        return found.toAudienceOutcome();
      }
      JsonNode body = parse(ok.body());
      for (JsonNode element : body.path("elements")) {
        String id = element.path("id").asText("");
        if (!id.isEmpty() && name.equals(element.path("name").asText())) {
          return readiness(new PartnerAudience(id, name), element);
        }
      }
      int returned = body.path("elements").size();
      long total = body.path("paging").path("total").asLong(-1);
      if (returned < PAGE_SIZE || (total >= 0 && (long) (page + 1) * PAGE_SIZE >= total)) {
        break;
      }
    }
    ObjectNode body = json.createObjectNode();
    body.put("name", name);
    body.put("description", "mediarithmics segment " + segment.segmentId() + " (audience-relay)");
    body.put("sourcePlatform", sourcePlatform(destination));
    body.put("account", account(destination));
    body.put("accessPolicy", "PRIVATE");
    body.put("type", destination.setting("segment_type").orElse(DEFAULT_SEGMENT_TYPE));
    body.putArray("destinations").addObject().put("destination", "LINKEDIN");
    Answer created =
        http.send(
            request(destination, url(destination, "dmpSegments"))
                .post(RequestBody.create(body.toString(), JSON))
                .build(),
            PartnerHttp.ErrorTable.NONE);
    if (!(created instanceof Answer.Ok done)) {
      return created.toAudienceOutcome();
    }
    String id = done.headers().get("x-restli-id");
    if (id == null) {
      id = done.headers().get("x-linkedin-id");
    }
    if (id == null) {
      id = parse(done.body()).path("id").asText(null);
    }
    if (id == null || id.isBlank()) {
      return new AudienceOutcome.Retry(
          Duration.ZERO, "LinkedIn created the segment but returned no id");
    }
    // LinkedIn asks for a pause before the first users of a new segment.
    return new AudienceOutcome.NotReadyYet(
        new PartnerAudience(id.strip(), name),
        "LinkedIn makes a new segment usable after a few seconds");
  }

  @Override
  public AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    Answer answer =
        http.send(
            request(destination, url(destination, "dmpSegments", audience.id())).get().build(),
            PartnerHttp.ErrorTable.NONE);
    return switch (answer) {
      case Answer.Ok ok -> readiness(audience, parse(ok.body()));
      case Answer.Refused refused when refused.status() == 404 ->
          new AudienceOutcome.Missing("LinkedIn segment " + audience.id() + " no longer exists");
      default -> answer.toAudienceOutcome();
    };
  }

  /**
   * Tests the feed destination's stored grant: its refresh token must still buy an access token,
   * and that member must hold a role other than VIEWER on the destination's ad account.
   */
  @Override
  public CredentialsTestResult testAuthentication(
      Destination destination, DestinationCredentials credentials) {
    String refreshToken = credentials.values().get("refresh_token");
    if (!LinkedInOAuth.APP.namedBy(destination) || refreshToken == null) {
      return new NotImplemented(null);
    }
    return switch (oauth.refresh(destination, new PartnerTokens(null, refreshToken, null, null))) {
      case GrantOutcome.Revoked revoked ->
          new CredentialsTestResult.Invalid("LinkedIn refused the grant: " + revoked.reason());
      case GrantOutcome.Unavailable unavailable ->
          new Failed("LinkedIn could not check the grant now: " + unavailable.reason());
      case GrantOutcome.Granted granted -> {
        Destination withToken =
            destination.withSetting("access_token", granted.tokens().accessToken());
        String account = account(destination);
        Optional<String> role = roles(withToken).map(roles -> roles.get(account));
        if (role.isEmpty()) {
          yield new Failed("LinkedIn did not list the member's ad account roles");
        }
        yield role.get() == null || role.get().equals("VIEWER")
            ? new CredentialsTestResult.Invalid(
                "This LinkedIn login cannot write to ad account "
                    + destination.setting("ad_account_id").orElseThrow()
                    + (role.get() == null ? " (no role)" : " (VIEWER role)"))
            : new CredentialsTestResult.Valid(
                "LinkedIn grant valid, role " + role.get() + " on the ad account");
      }
    };
  }

  /** The member's role on each sponsored account they can see, by account URN. */
  private Optional<Map<String, String>> roles(Destination destination) {
    HttpUrl url =
        url(destination, "adAccountUsers")
            .newBuilder()
            .addQueryParameter("q", "authenticatedUser")
            .build();
    if (!(http.send(request(destination, url).get().build(), PartnerHttp.ErrorTable.NONE)
        instanceof Answer.Ok ok)) {
      return Optional.empty();
    }
    Map<String, String> roles = new LinkedHashMap<>();
    for (JsonNode element : parse(ok.body()).path("elements")) {
      roles.put(element.path("account").asText(""), element.path("role").asText(""));
    }
    return Optional.of(roles);
  }

  /** LinkedIn's view of the segment: status, and its 7-day match counts and audience size. */
  @Override
  public TroubleshootResult describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    if (audience.isEmpty()) {
      return new NotImplemented(null);
    }
    Answer answer =
        http.send(
            request(destination, url(destination, "dmpSegments", audience.get().id()))
                .get()
                .build(),
            PartnerHttp.ErrorTable.NONE);
    if (!(answer instanceof Answer.Ok ok)) {
      return new Failed("LinkedIn did not describe the segment: " + answer.reason());
    }
    JsonNode found = parse(ok.body());
    JsonNode onLinkedIn = linkedInDestination(found);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("segment_id", audience.get().id());
    data.put("status", onLinkedIn.path("status").asText("not reported yet"));
    // audienceSize and matchedCount belong to the LINKEDIN destination; inputCount to the segment.
    for (String count : List.of("audienceSize", "matchedCount")) {
      if (onLinkedIn.path(count).canConvertToLong()) {
        data.put(count, onLinkedIn.path(count).asLong());
      }
    }
    JsonNode inputCount =
        found.path("inputCount").canConvertToLong()
            ? found.path("inputCount")
            : onLinkedIn.path("inputCount");
    if (inputCount.canConvertToLong()) {
      data.put("inputCount", inputCount.asLong());
    }
    long matched = onLinkedIn.path("matchedCount").asLong(0);
    long input = inputCount.asLong(0);
    if (input > 0) {
      // LinkedIn counts both over the last 7 days only.
      data.put("match_rate_7_days", Math.round(1000.0 * matched / input) / 10.0);
    }
    return new TroubleshootResult.Found("LinkedIn DMP segment", data);
  }

  /**
   * The sponsored accounts the member may write to ({@code ad_account_id} choices): every account
   * where LinkedIn gives them a role other than VIEWER, named by LinkedIn.
   */
  @Override
  public DynamicPropertyValuesResult dynamicPropertyValues(
      Destination destination,
      DynamicPropertyValuesQuery query,
      Optional<DestinationCredentials> credentials) {
    if (destination.setting("access_token").isEmpty()) {
      return new Failed("No LinkedIn login to list ad accounts with");
    }
    Optional<Map<String, String>> roles = roles(destination);
    if (roles.isEmpty()) {
      return new Failed("LinkedIn did not list the ad accounts of this login");
    }
    List<DynamicPropertyValuesResult.Choice> choices = new ArrayList<>();
    for (Map.Entry<String, String> entry : roles.get().entrySet()) {
      if (!entry.getKey().startsWith(ACCOUNT_URN) || entry.getValue().equals("VIEWER")) {
        continue; // a viewer cannot write segments
      }
      String id = entry.getKey().substring(ACCOUNT_URN.length());
      choices.add(
          new DynamicPropertyValuesResult.Choice(
              accountName(destination, id) + " (" + id + ")", id));
      if (choices.size() == MAX_ACCOUNT_CHOICES) {
        break;
      }
    }
    if (choices.isEmpty()) {
      return new DynamicPropertyValuesResult.Empty(
          "This LinkedIn login can write to no ad account (a VIEWER role cannot)");
    }
    return new DynamicPropertyValuesResult.Values(
        List.of(new DynamicPropertyValuesResult.PropertyChoices("ad_account_id", choices)));
  }

  private String accountName(Destination destination, String id) {
    Answer answer =
        http.send(
            request(destination, url(destination, "adAccounts", id)).get().build(),
            PartnerHttp.ErrorTable.NONE);
    String name = answer instanceof Answer.Ok ok ? parse(ok.body()).path("name").asText("") : "";
    return name.isBlank() ? "Ad account" : name;
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    ObjectNode body = json.createObjectNode();
    ArrayNode elements = body.putArray("elements");
    List<Integer> changeOfElement = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      MembershipChange change = batch.changes().get(i);
      List<ObjectNode> ids = userIds(change.identifiers());
      if (ids.isEmpty()) {
        continue; // nothing LinkedIn can match: skipped, never fails the batch
      }
      ObjectNode element = elements.addObject();
      element.put("action", change.operation() == MembershipOperation.ADD ? "ADD" : "REMOVE");
      element.putArray("userIds").addAll(ids);
      changeOfElement.add(i);
    }
    if (elements.isEmpty()) {
      return DeliveryOutcome.ok();
    }
    String member = member(destination);
    Duration wait =
        members.tryTake(
            member,
            number(destination, "member_calls_per_minute", DEFAULT_MEMBER_CALLS_PER_MINUTE));
    if (!wait.isZero()) {
      return new DeliveryOutcome.Deferred(
          wait, "LinkedIn's per-member limit on /users: the member's minute is spent");
    }
    Request request =
        request(destination, url(destination, "dmpSegments", audience.id(), "users"))
            .header("X-RestLi-Method", "BATCH_CREATE")
            .post(RequestBody.create(body.toString(), JSON))
            .build();
    return switch (http.send(request, usersErrors(member))) {
      case Answer.Ok ok -> perElement(ok, changeOfElement);
      // A refused token is the member's grant, not the users: they wait for a new login.
      case Answer.Refused refused when refused.status() == 401 ->
          new DeliveryOutcome.AwaitingAuthentication(
              "LinkedIn refused the access token (401): revoked or expired");
      case Answer other -> other.toDeliveryOutcome();
    };
  }

  /**
   * A 404 on a new segment is "wait"; a 429 is the member's one-minute limit, so every destination
   * of that member waits the time LinkedIn asked, or the minute when it did not say.
   */
  private PartnerHttp.ErrorTable usersErrors(String member) {
    return (status, body, headers, delay) -> {
      if (status == 429) {
        Duration after = delay.isZero() ? MemberQuota.WINDOW : delay;
        members.pause(member, after);
        return Optional.of(
            new Answer.Retry(
                after, "LinkedIn's per-member limit on /users answered 429: the member waits"));
      }
      return DELIVERY_ERRORS.classify(status, body, headers, delay);
    };
  }

  /**
   * Who LinkedIn counts the call against: the member whose grant the destination uses, or the
   * member behind a fixed token (known by the token's hash only).
   */
  static String member(Destination destination) {
    if (LinkedInOAuth.APP.namedBy(destination)) {
      return "grant:"
          + destination.setting("client_id").orElse("")
          + ":"
          + destination.setting("oauth_user_id").orElse("");
    }
    return "token:" + Hashing.sha256(destination.setting("access_token").orElse(""), Encoding.HEX);
  }

  /**
   * LinkedIn answers one status per element: refused elements are refused changes, the rest are
   * delivered.
   */
  private DeliveryOutcome perElement(Answer.Ok ok, List<Integer> changeOfElement) {
    JsonNode statuses = parse(ok.body()).path("elements");
    List<Integer> refused = new ArrayList<>();
    String firstError = null;
    for (int e = 0; e < statuses.size() && e < changeOfElement.size(); e++) {
      JsonNode status = statuses.get(e);
      if (status.path("status").asInt(200) >= 400) {
        refused.add(changeOfElement.get(e));
        if (firstError == null) {
          firstError = status.path("message").asText(status.path("status").asText());
        }
      }
    }
    return refused.isEmpty()
        ? DeliveryOutcome.ok()
        : new DeliveryOutcome.PartlyRejected(
            refused, "LinkedIn refused " + refused.size() + " element(s), first: " + firstError);
  }

  /**
   * SHA-256 of the normalised e-mail, and the Android advertising id; other identifiers do not
   * match on LinkedIn.
   */
  List<ObjectNode> userIds(List<UserIdentifier> identifiers) {
    List<ObjectNode> ids = new ArrayList<>(2);
    boolean email = false;
    boolean aid = false;
    for (UserIdentifier identifier : identifiers) {
      if (!email && identifier instanceof UserIdentifier.UserEmail e) {
        Optional<String> hash =
            e.email() != null
                ? Normalization.email(e.email()).map(clear -> Hashing.sha256(clear, Encoding.HEX))
                : Optional.ofNullable(e.hash())
                    .filter(Hashing::isSha256)
                    .map(h -> Hashing.sha256OrAsIs(h, Encoding.HEX));
        if (hash.isPresent()) {
          ids.add(userId("SHA256_EMAIL", hash.get()));
          email = true;
        }
      } else if (!aid
          && identifier instanceof UserIdentifier.DeviceTechnicalId d
          && d.kind().equals("MOBILE_ADVERTISING_ID")
          && ANDROID_AD_ID.matcher(d.deviceId()).find()) {
        ids.add(
            userId(
                "GOOGLE_AID",
                ANDROID_AD_ID.matcher(d.deviceId()).replaceFirst("").toLowerCase(Locale.ROOT)));
        aid = true;
      }
    }
    return ids;
  }

  private ObjectNode userId(String type, String value) {
    ObjectNode id = json.createObjectNode();
    id.put("idType", type);
    id.put("idValue", value);
    return id;
  }

  /**
   * The segment's state as its LINKEDIN destination reports it (LinkedIn's FAQ: "check the status
   * value from destinations"); no status yet is "not ready", never "ready".
   */
  static AudienceOutcome readiness(PartnerAudience audience, JsonNode segment) {
    String status = linkedInDestination(segment).path("status").asText("").toUpperCase(Locale.ROOT);
    if (USABLE.contains(status)) {
      return new AudienceOutcome.Ready(audience);
    }
    if (UNUSABLE.contains(status)) {
      return new AudienceOutcome.Rejected(
          "LinkedIn segment " + audience.id() + " is " + status + " and takes no users");
    }
    return new AudienceOutcome.NotReadyYet(
        audience,
        status.isEmpty()
            ? "LinkedIn reports no status for segment " + audience.id() + " yet"
            : "LinkedIn reports segment " + audience.id() + " as " + status + ", not yet usable");
  }

  /** The segment's {@code LINKEDIN} entry of {@code destinations}, or a missing node. */
  static JsonNode linkedInDestination(JsonNode segment) {
    for (JsonNode destination : segment.path("destinations")) {
      if ("LINKEDIN".equals(destination.path("destination").asText())) {
        return destination;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private Request.Builder request(Destination destination, HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + destination.setting("access_token").orElseThrow())
        .header("LinkedIn-Version", version(destination))
        .header("X-Restli-Protocol-Version", "2.0.0");
  }

  private static HttpUrl url(Destination destination, String... segments) {
    HttpUrl.Builder builder = HttpUrl.get(baseUrl(destination)).newBuilder();
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder.build();
  }

  private static String baseUrl(Destination destination) {
    return destination.setting("base_url").orElse(DEFAULT_BASE_URL);
  }

  private static String account(Destination destination) {
    return ACCOUNT_URN + destination.setting("ad_account_id").orElseThrow();
  }

  private static String sourcePlatform(Destination destination) {
    return destination.setting("source_platform").orElse(DEFAULT_SOURCE_PLATFORM);
  }

  private static String version(Destination destination) {
    return destination.setting("linkedin_version").orElse(DEFAULT_VERSION);
  }

  private JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}

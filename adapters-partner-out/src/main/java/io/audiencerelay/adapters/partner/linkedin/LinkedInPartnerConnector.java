package io.audiencerelay.adapters.partner.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.PartnerHttp.Answer;
import io.audiencerelay.application.port.out.AccountChoices;
import io.audiencerelay.application.port.out.AudienceFacts;
import io.audiencerelay.application.port.out.CredentialsCheck;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.hashing.Hashing;
import io.audiencerelay.domain.hashing.Hashing.Encoding;
import io.audiencerelay.domain.hashing.Normalization;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
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

  static final Duration NEW_SEGMENT_WAIT = Duration.ofSeconds(10);

  private static final Pattern ANDROID_AD_ID =
      Pattern.compile("^mob:and:raw:", Pattern.CASE_INSENSITIVE);

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
  private final LinkedInSegments segments;
  private final LinkedInAccounts accounts;

  public LinkedInPartnerConnector(PartnerHttp http, ObjectMapper json, Clock clock) {
    this.http = http;
    this.json = json;
    this.clock = clock;
    this.oauth = new LinkedInOAuth(http, json, clock);
    this.members = new MemberQuota(clock);
    this.segments = new LinkedInSegments(http, json);
    this.accounts = new LinkedInAccounts(http, json, oauth);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * A feed may choose its own sponsored account and audience name; a destination without {@code
   * ad_account_id} needs every feed to set one.
   */
  @Override
  public List<FeedSetting> feedSettings(Destination destination) {
    return List.of(
        new FeedSetting(
            "ad_account_id",
            true,
            FeedSetting.ReadAt.AUDIENCE_CREATION,
            "the numeric LinkedIn sponsored account the DMP segment is created in"),
        FeedSetting.audienceName());
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    return LinkedInSettings.problems(destination);
  }

  /** A LinkedIn-Version about to be, or already, sunset (LinkedIn keeps one about a year). */
  @Override
  public List<String> settingWarnings(Destination destination) {
    return LinkedInSettings.warnings(destination, clock);
  }

  /** Finds the segment by name among the account's segments; creates it only when there is none. */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    return segments.createAudience(destination, segment);
  }

  @Override
  public AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    return segments.checkAudience(destination, audience);
  }

  /** LinkedIn's view of the segment: status, and its 7-day match counts and audience size. */
  @Override
  public PartnerAnswer<AudienceFacts> describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    return segments.describeAudience(destination, segment, audience);
  }

  /** The stored grant still buys a token, and its member may write to the ad account. */
  @Override
  public PartnerAnswer<CredentialsCheck> testAuthentication(
      Destination destination, DestinationCredentials credentials) {
    return accounts.testAuthentication(destination, credentials);
  }

  /** The sponsored accounts the member may write to ({@code ad_account_id} choices). */
  @Override
  public PartnerAnswer<AccountChoices> dynamicPropertyValues(
      Destination destination, UserRequest query, Optional<DestinationCredentials> credentials) {
    return accounts.dynamicPropertyValues(destination, query, credentials);
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
    return LinkedInSettings.number(destination, "batch_size", LinkedInSettings.DEFAULT_BATCH);
  }

  @Override
  public boolean accepts(Destination destination, UserIdentifier identifier) {
    return !userIds(List.of(identifier)).isEmpty();
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
            LinkedInSettings.number(
                destination,
                "member_calls_per_minute",
                LinkedInSettings.DEFAULT_MEMBER_CALLS_PER_MINUTE));
    if (!wait.isZero()) {
      return new DeliveryOutcome.Deferred(
          wait, "LinkedIn's per-member limit on /users: the member's minute is spent");
    }
    Request request =
        LinkedInApi.request(
                destination, LinkedInApi.url(destination, "dmpSegments", audience.id(), "users"))
            .header("X-RestLi-Method", "BATCH_CREATE")
            .post(RequestBody.create(body.toString(), LinkedInApi.JSON))
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
    JsonNode statuses = LinkedInApi.parse(json, ok.body()).path("elements");
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
}

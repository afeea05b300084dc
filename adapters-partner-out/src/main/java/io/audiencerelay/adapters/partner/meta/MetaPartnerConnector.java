package io.audiencerelay.adapters.partner.meta;

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
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  static final int MAX_BATCH = 10_000;

  private final PartnerHttp http;
  private final ObjectMapper json;
  private final Clock clock;
  private final MetaOAuth oauth;
  private final MetaAudiences audiences;

  public MetaPartnerConnector(PartnerHttp http, ObjectMapper json, Clock clock) {
    this.http = http;
    this.json = json;
    this.clock = clock;
    this.oauth = new MetaOAuth(http, json, clock);
    this.audiences = new MetaAudiences(http, json);
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

  /** The ad accounts the logged-in user can reach ({@code ad_account_id} choices). */
  @Override
  public PartnerAnswer<AccountChoices> dynamicPropertyValues(
      Destination destination, UserRequest query, Optional<DestinationCredentials> credentials) {
    if (destination.setting("access_token").isEmpty()) {
      return PartnerAnswer.unavailable("No Meta login to list ad accounts with");
    }
    HttpUrl accounts =
        MetaGraph.url(destination, "me", "adaccounts")
            .newBuilder()
            .addQueryParameter("fields", "name,account_id")
            .addQueryParameter("limit", "100")
            .build();
    Answer answer = http.send(MetaGraph.get(destination, accounts), MetaErrors.table(json));
    if (!(answer instanceof Answer.Ok ok)) {
      return PartnerAnswer.unavailable("Meta did not list the ad accounts: " + answer.reason());
    }
    List<AccountChoices.Choice> choices = new ArrayList<>();
    for (JsonNode account : MetaGraph.parse(json, ok.body()).path("data")) {
      String id = account.path("account_id").asText("");
      if (!id.isEmpty()) {
        choices.add(
            new AccountChoices.Choice(
                account.path("name").asText("Ad account") + " (act_" + id + ")", "act_" + id));
      }
    }
    return choices.isEmpty()
        ? PartnerAnswer.given(new AccountChoices.NoneFor("This Meta login reaches no ad account"))
        : PartnerAnswer.given(
            new AccountChoices.Offered(
                List.of(new AccountChoices.Property("ad_account_id", choices))));
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * A feed may choose its own ad account and audience name; a destination without {@code
   * ad_account_id} needs every feed to set one.
   */
  @Override
  public List<FeedSetting> feedSettings(Destination destination) {
    return List.of(
        new FeedSetting(
            "ad_account_id",
            true,
            FeedSetting.ReadAt.AUDIENCE_CREATION,
            "the Meta ad account the audience is created in, with or without act_"),
        FeedSetting.audienceName());
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> problems = new ArrayList<>(MetaOAuth.APP.problems(destination));
    if (destination
        .setting("ad_account_id")
        .map(id -> id.replaceFirst("^act_", ""))
        .filter(id -> !id.matches("\\d+"))
        .isPresent()) {
      problems.add(
          "ad_account_id must be the numeric ad account id, with or without act_, got '"
              + destination.setting("ad_account_id").orElseThrow()
              + "'");
    }
    GraphVersion.problem(destination).ifPresent(problems::add);
    Optional<String> base = destination.setting("base_url");
    if (base.isPresent() && HttpUrl.parse(base.get()) == null) {
      problems.add("base_url must be an http or https URL");
    } else if (base.isPresent() && MetaGraph.NAMES_A_VERSION.matcher(base.get()).matches()) {
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
    return !MetaRows.row(List.of(identifier), hashMadid(destination)).stream()
        .allMatch(String::isEmpty);
  }

  /**
   * Finds the audience named after the segment in the ad account, or creates it: never a second
   * one.
   */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    return audiences.createAudience(destination, segment);
  }

  /** Meta's view of the audience: its approximate size and its operation and delivery status. */
  @Override
  public PartnerAnswer<AudienceFacts> describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    return audiences.describeAudience(destination, segment, audience);
  }

  /**
   * Tests the feed destination's stored login (the long-lived token the platform keeps): Meta must
   * still honour it.
   */
  @Override
  public PartnerAnswer<CredentialsCheck> testAuthentication(
      Destination destination, DestinationCredentials credentials) {
    String token = credentials.values().get("refresh_token");
    if (!MetaOAuth.APP.namedBy(destination) || token == null) {
      return PartnerAnswer.notOffered();
    }
    HttpUrl me =
        MetaGraph.url(destination, "me").newBuilder().addQueryParameter("fields", "id").build();
    return switch (http.send(
        MetaGraph.get(destination.withSetting("access_token", token), me),
        MetaErrors.table(json))) {
      case Answer.Ok ok -> PartnerAnswer.given(new CredentialsCheck.Valid("Meta login valid"));
      case Answer.Refused refused ->
          PartnerAnswer.given(
              new CredentialsCheck.Invalid("Meta refused the login: " + refused.reason()));
      case Answer.Retry retry ->
          PartnerAnswer.unavailable("Meta could not check the login now: " + retry.reason());
    };
  }

  /**
   * The audience is still there and takes users. Meta answers 100/33 both for a deleted audience
   * and for a token that may not see it: the ad account's list decides, so a permission problem is
   * reported as one and never taken for a deletion.
   */
  @Override
  public AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    return audiences.checkAudience(destination, audience);
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    boolean hashMadid = hashMadid(destination);
    List<List<String>> adds = new ArrayList<>();
    List<List<String>> removes = new ArrayList<>();
    for (MembershipChange change : batch.changes()) {
      List<String> row = MetaRows.row(change.identifiers(), hashMadid);
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
    MetaRows.SCHEMA.forEach(schema::add);
    ArrayNode data = payload.putArray("data");
    for (List<String> row : rows) {
      ArrayNode values = data.addArray();
      row.forEach(values::add);
    }
    ObjectNode session = json.createObjectNode();
    session.put("session_id", MetaRows.sessionId(sessionKey));
    session.put("batch_seq", 1);
    session.put("last_batch_flag", true);
    session.put("estimated_num_total", rows.size());
    FormBody body =
        new FormBody.Builder()
            .add("payload", payload.toString())
            .add("session", session.toString())
            .add("access_token", MetaGraph.token(destination))
            .build();
    Request request =
        new Request.Builder()
            .url(MetaGraph.url(destination, audience.id(), "users"))
            .method(method, body)
            .build();
    return switch (http.send(request, MetaErrors.table(json))) {
      case Answer.Ok ok -> {
        reportInvalidEntries(audience, method, rows.size(), MetaGraph.parse(json, ok.body()));
        yield DeliveryOutcome.ok();
      }
      // An expired or revoked token is the user's login, not the users: they wait for a new one.
      case Answer.Refused refused when refused.reason().contains("(code 190)") ->
          new DeliveryOutcome.AwaitingAuthentication(refused.reason());
      // A person must act in Business Manager; refusing the users (or splitting the call to find
      // the bad ones) would be wrong: the same call waits and is tried again.
      case Answer.Refused refused
          when refused.reason().contains(MetaErrors.AMBIGUOUS)
              || refused.reason().contains(MetaErrors.PERMISSION)
              || refused.reason().contains(MetaErrors.FLAGGED) ->
          new DeliveryOutcome.Retry(MetaErrors.NEEDS_A_PERSON_WAIT, refused.reason());
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

  private static boolean hashMadid(Destination destination) {
    return !destination.setting("hash_madid").orElse("true").equals("false");
  }
}

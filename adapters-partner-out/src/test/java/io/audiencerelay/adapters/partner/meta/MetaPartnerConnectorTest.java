package io.audiencerelay.adapters.partner.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.client.HttpPartnerConnectorContract;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.RetryDelays;
import io.audiencerelay.application.port.out.AccountChoices;
import io.audiencerelay.application.port.out.AudienceFacts;
import io.audiencerelay.application.port.out.CredentialsCheck;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.UserIdentifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Against a small fake of the Graph API: custom audiences of ad account 123 and their users edge.
 */
class MetaPartnerConnectorTest extends HttpPartnerConnectorContract {
  static final ObjectMapper MAPPER = new ObjectMapper();
  final Map<String, String> audiencesByName =
      new ConcurrentHashMap<>(Map.of("someone_elses", "1000"));
  final MetaPartnerConnector connector =
      new MetaPartnerConnector(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(Clock.systemUTC()), "meta"),
          MAPPER,
          Clock.systemUTC());

  @Test
  void aNextPageOnAnotherHostIsNotFetchedSoTheTokenStaysWithMeta() {
    script(
        ok(
            "{\"data\":[],\"paging\":{\"next\":\""
                + elsewhere.url("/v26.0/act_123/customaudiences?access_token=EAAB-secret&after=x")
                + "\"}}"));

    AudienceOutcome outcome = connector.createAudience(destination(), DomainFixtures.SEGMENT);

    assertThat(outcome).isInstanceOf(AudienceOutcome.Ready.class);
    assertThat(elsewhere.getRequestCount()).isZero();
  }

  @Override
  protected PartnerConnector connector() {
    return connector;
  }

  @Override
  protected Destination destination() {
    return DomainFixtures.destination(
        "ads",
        "meta",
        Map.of(
            "access_token",
            "EAAB-secret",
            "ad_account_id",
            "act_123",
            "base_url",
            partner.url("/").toString()));
  }

  /** Meta matches on external ids: the contract's users are customer accounts here. */
  @Override
  protected UserIdentifier identifierFor(String user) {
    return new UserIdentifier.UserAccount(user, null);
  }

  /**
   * The Graph API as its reference pages show it: a listing of {@code data} and {@code paging}, a
   * creation that answers {@code {"id"}}, the users edge that answers its counts, and Meta's error
   * object (code 100, subcode 33) for an object it will not show. A users call that leaves the
   * documented format gets Meta's "Invalid parameter" error, so a test fails if the adapter drifts.
   */
  @Override
  protected MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (!path.startsWith("/v26.0/")) {
      return graphError(400, 2635, -1, "You are calling a deprecated version of the Ads API");
    }
    if (path.equals("/v26.0/act_123/customaudiences") && request.getMethod().equals("GET")) {
      StringBuilder data = new StringBuilder();
      audiencesByName.forEach(
          (name, id) ->
              data.append(data.isEmpty() ? "" : ",")
                  .append("{\"id\":\"")
                  .append(id)
                  .append("\",\"name\":\"")
                  .append(name)
                  .append("\"}"));
      return ok(
          "{\"data\":["
              + data
              + "],\"paging\":{\"cursors\":{\"before\":\"QVFIUk1\",\"after\":\"QVFIUkx\"}}}");
    }
    if (path.equals("/v26.0/act_123/customaudiences")) {
      Map<String, String> form = form(request);
      if (!"CUSTOM".equals(form.get("subtype"))
          || !"USER_PROVIDED_ONLY".equals(form.get("customer_file_source"))) {
        return graphError(400, 100, -1, "Invalid parameter");
      }
      String name = form.get("name");
      String id = audiencesByName.computeIfAbsent(name, n -> "2385" + (audiencesByName.size() + 1));
      return ok("{\"id\":\"" + id + "\"}");
    }
    if (path.endsWith("/users")) {
      Optional<String> wrong = leavesTheDocumentedFormat(form(request));
      if (wrong.isPresent()) {
        return graphError(400, 100, -1, "Invalid parameter: " + wrong.get());
      }
      JsonNode session = json(form(request).get("session"));
      int rows = json(form(request).get("payload")).get("data").size();
      return ok(
          "{\"audience_id\":\""
              + path.split("/")[2]
              + "\",\"session_id\":\""
              + session.get("session_id").asText()
              + "\",\"num_received\":"
              + rows
              + ",\"num_invalid_entries\":0,\"invalid_entry_samples\":{}}");
    }
    String id = path.substring(path.lastIndexOf('/') + 1);
    return audiencesByName.containsValue(id)
        ? ok(
            "{\"id\":\""
                + id
                + "\",\"name\":\"n\",\"operation_status\":{\"code\":200,\"description\":\"Normal\"}}")
        : graphError(
            400,
            100,
            33,
            "Unsupported get request. Object with ID '"
                + id
                + "' does not exist, cannot be loaded due to missing permissions, or does not"
                + " support this operation.");
  }

  /**
   * What the Custom Audience Users reference asks of a call: a payload whose schema names multi-key
   * columns and whose rows match it, hashed columns as lower-case SHA-256 hex, and a session with
   * an id, a sequence number and the last-batch flag.
   */
  static Optional<String> leavesTheDocumentedFormat(Map<String, String> form) {
    if (form.get("access_token") == null) {
      return Optional.of("no access_token");
    }
    JsonNode payload = json(form.get("payload"));
    List<String> schema = new ArrayList<>();
    payload.path("schema").forEach(key -> schema.add(key.asText()));
    if (!List.of("EMAIL", "MADID", "EXTERN_ID").containsAll(schema) || schema.isEmpty()) {
      return Optional.of("schema " + schema + " is not a multi-key schema");
    }
    for (JsonNode row : payload.path("data")) {
      if (row.size() != schema.size()) {
        return Optional.of("a row does not match the schema");
      }
      for (int i = 0; i < schema.size(); i++) {
        String value = row.get(i).asText();
        if (!schema.get(i).equals("EXTERN_ID")
            && !value.isEmpty()
            && !value.matches("[0-9a-f]{64}")) {
          return Optional.of(schema.get(i) + " is not hashed");
        }
      }
    }
    JsonNode session = json(form.get("session"));
    if (!session.path("session_id").canConvertToLong()
        || session.path("session_id").asLong() <= 0
        || !session.path("batch_seq").canConvertToInt()
        || !session.path("last_batch_flag").isBoolean()) {
      return Optional.of("session needs session_id, batch_seq and last_batch_flag");
    }
    return Optional.empty();
  }

  private static MockResponse graphError(int status, int code, int subcode, String message) {
    return new MockResponse.Builder()
        .code(status)
        .setHeader("Content-Type", "application/json")
        .body(
            "{\"error\":{\"message\":\""
                + message
                + "\",\"type\":\"OAuthException\",\"code\":"
                + code
                + (subcode < 0 ? "" : ",\"error_subcode\":" + subcode)
                + ",\"fbtrace_id\":\"AbCdEf\"}}")
        .build();
  }

  /** Meta throttles with HTTP 400 and an error code; the wait comes in Retry-After here. */
  @Override
  protected MockResponse throttled(Duration wait) {
    return new MockResponse.Builder()
        .code(400)
        .setHeader("Retry-After", wait.toSeconds())
        .body(
            "{\"error\":{\"message\":\"(#17) User request limit reached\",\"type\":\"OAuthException\","
                + "\"is_transient\":true,\"code\":17,\"error_subcode\":2446079,"
                + "\"fbtrace_id\":\"AbCdEf\"}}")
        .build();
  }

  @Override
  protected List<MembershipChange> changesIn(RecordedRequest request, PartnerAudience audience) {
    List<MembershipChange> changes = new ArrayList<>();
    if (!request.getUrl().encodedPath().equals("/v26.0/" + audience.id() + "/users")) {
      return changes;
    }
    MembershipOperation operation =
        request.getMethod().equals("POST") ? MembershipOperation.ADD : MembershipOperation.REMOVE;
    for (JsonNode row : json(form(request).get("payload")).get("data")) {
      changes.add(
          new MembershipChange(
              DomainFixtures.SEGMENT,
              operation,
              List.of(new UserIdentifier.UserAccount(row.get(2).asText(), null)),
              DomainFixtures.T0));
    }
    return changes;
  }

  @Test
  void anExistingAudienceIsFoundByNameAndANewOneCreatedOnlyOnce() {
    audiencesByName.put("mics_84213", "777");

    var found = connector.createAudience(destination(), DomainFixtures.SEGMENT);

    assertThat(found)
        .isEqualTo(new AudienceOutcome.Ready(new PartnerAudience("777", "mics_84213")));
    assertThat(received).noneMatch(r -> r.getMethod().equals("POST"));
  }

  @Test
  void rowsUseTheMultiKeySchemaWithNormalisedHashedEmails() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    var change =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.ADD,
            List.of(
                new UserIdentifier.UserEmail(
                    "5d41402abc4b2a76b9719d911017c592", " Test@Example.com "),
                new UserIdentifier.DeviceTechnicalId(
                    "MOBILE_ADVERTISING_ID", "mob:and:raw:AB12-CD34", "12"),
                new UserIdentifier.UserAccount("crm-1", "1")),
            DomainFixtures.T0);
    var md5Only =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.ADD,
            List.of(DomainFixtures.email("5d41402abc4b2a76b9719d911017c592")),
            DomainFixtures.T0);

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(change, md5Only)));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    RecordedRequest upload = received.getLast();
    Map<String, String> form = form(upload);
    // Known answers: sha256("test@example.com") and sha256("ab12-cd34"); EXTERN_ID in clear.
    assertThat(json(form.get("payload")))
        .isEqualTo(
            json(
                "{\"schema\":[\"EMAIL\",\"MADID\",\"EXTERN_ID\"],\"data\":[["
                    + "\"973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b\","
                    + "\"c840841632e9ef15972663c1d2b1530455aae72423e141d04a254f05297b532b\","
                    + "\"crm-1\"]]}"));
    assertThat(form.get("access_token")).isEqualTo("EAAB-secret");
    assertThat(
            connector.accepts(
                destination(), DomainFixtures.email("5d41402abc4b2a76b9719d911017c592")))
        .isFalse();
  }

  @Test
  void addsAndRemovesGoAsPostThenDelete() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);

    connector.deliver(
        destination(),
        audience,
        new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a"), remove("b"))));

    assertThat(
            received.stream()
                .filter(r -> r.getUrl().encodedPath().endsWith("/users"))
                .map(RecordedRequest::getMethod))
        .containsExactly("POST", "DELETE");
  }

  @Test
  void aMobileIdIsSentInClearOnlyWhenTheDestinationSaysSo() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    var device =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.ADD,
            List.of(
                new UserIdentifier.DeviceTechnicalId(
                    "MOBILE_ADVERTISING_ID", " mob:ios:raw:AB12-CD34 ", null)),
            DomainFixtures.T0);

    connector.deliver(
        destination().withSetting("hash_madid", "false"),
        audience,
        new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(device)));

    assertThat(json(form(received.getLast()).get("payload")).get("data").get(0).get(1).asText())
        .isEqualTo("ab12-cd34");
    assertThat(
            connector.accepts(
                destination(),
                new UserIdentifier.DeviceTechnicalId(
                    "MOBILE_ADVERTISING_ID", "mob:ios:md5:0cc175b9c0f1b6a831c399e269772661", null)))
        .as("an id hashed by someone else, with an unknown normalisation, cannot match")
        .isFalse();
    assertThat(connector.checkSettings(destination().withSetting("hash_madid", "yes")))
        .containsExactly("hash_madid must be true or false, got 'yes'");
  }

  @Test
  void everyCallIsACompleteUploadSessionWithItsRowCount() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    MembershipBatch batch =
        new MembershipBatch(
            "b-42", DomainFixtures.SEGMENT, List.of(add("a"), add("b"), remove("c")));

    connector.deliver(destination(), audience, batch);
    connector.deliver(destination(), audience, batch);

    List<JsonNode> sessions =
        received.stream()
            .filter(r -> r.getUrl().encodedPath().endsWith("/users"))
            .map(r -> json(form(r).get("session")))
            .toList();
    assertThat(sessions).hasSize(4);
    JsonNode add = sessions.get(0);
    assertThat(add.get("batch_seq").asInt()).isEqualTo(1);
    assertThat(add.get("last_batch_flag").asBoolean()).isTrue();
    assertThat(add.get("estimated_num_total").asInt()).isEqualTo(2);
    assertThat(sessions.get(1).get("estimated_num_total").asInt()).isEqualTo(1);
    assertThat(add.get("session_id").asLong())
        .as("a retried call is the same session; its remove half is another")
        .isEqualTo(sessions.get(2).get("session_id").asLong())
        .isNotEqualTo(sessions.get(1).get("session_id").asLong())
        .isEqualTo(MetaRows.sessionId("b-42-add"))
        .isPositive();
  }

  @Test
  void anAudienceGoneFromTheAdAccountIsReportedMissing() {
    var outcome = connector.checkAudience(destination(), new PartnerAudience("999", "mics_84213"));

    assertThat(outcome).isInstanceOf(AudienceOutcome.Missing.class);
    assertThat(((AudienceOutcome.Missing) outcome).reason())
        .isEqualTo("Meta audience 999 is no longer in ad account act_123");
  }

  @Test
  void aTokenThatMayNotSeeTheAdAccountIsAPermissionProblemNotADeletion() {
    script(
        graphError(400, 100, 33, "Unsupported get request. Object with ID '777' does not exist"),
        graphError(403, 200, -1, "(#200) Requires ads_management permission to manage the object"));

    var outcome = connector.checkAudience(destination(), new PartnerAudience("777", "mics_84213"));

    assertThat(outcome).isInstanceOf(AudienceOutcome.Rejected.class);
    assertThat(((AudienceOutcome.Rejected) outcome).reason())
        .contains("may not reach ad account act_123", "code 200", "role on the ad account")
        .doesNotContain("EAAB-secret");
  }

  @Test
  void anAudienceTheAdAccountListsButTheTokenCannotReadIsNotRecreated() {
    audiencesByName.put("mics_84213", "777");
    script(
        graphError(400, 100, 33, "Unsupported get request. Object with ID '777' does not exist"));

    var outcome = connector.checkAudience(destination(), new PartnerAudience("777", "mics_84213"));

    assertThat(outcome).isInstanceOf(AudienceOutcome.Rejected.class);
    assertThat(received).noneMatch(r -> r.getMethod().equals("POST"));
  }

  @Test
  void aFlaggedAudienceIsReportedAtConnection() {
    script(
        ok(
            "{\"id\":\"777\",\"name\":\"mics_84213\","
                + "\"operation_status\":{\"code\":471,\"description\":\"Flagged\"}}"));

    var outcome = connector.checkAudience(destination(), new PartnerAudience("777", "mics_84213"));

    assertThat(outcome).isInstanceOf(AudienceOutcome.Rejected.class);
    assertThat(((AudienceOutcome.Rejected) outcome).reason()).contains("471");
  }

  @Test
  void aPermissionOrAmbiguousAnswerOnUploadWaitsForAPersonInsteadOfRefusingTheUsers() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    for (MockResponse answer :
        List.of(
            graphError(400, 100, 33, "Unsupported post request."),
            graphError(403, 200, -1, "(#200) Permissions error"),
            graphError(400, 100, 1713230, "Invalid parameter"))) {
      script(answer);

      var outcome =
          connector.deliver(
              destination(),
              audience,
              new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a"))));

      assertThat(outcome)
          .isInstanceOfSatisfying(
              DeliveryOutcome.Retry.class,
              retry -> assertThat(retry.after()).isEqualTo(Duration.ofMinutes(15)));
    }
  }

  @Test
  void theAdsManagementLimitOfTheAdAccountIsThrottlingAndAnUndocumentedCodeIsNot() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(
        graphError(400, 80004, 2446079, "There have been too many calls to this ad-account."),
        graphError(400, 80003, -1, "Something else"));
    MembershipBatch batch = new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a")));

    assertThat(connector.deliver(destination(), audience, batch))
        .isEqualTo(
            new DeliveryOutcome.Retry(
                Duration.ofMinutes(1),
                "Meta throttled the call (code 80004): There have been too many calls to this"
                    + " ad-account."));
    assertThat(connector.deliver(destination(), audience, batch))
        .isInstanceOf(DeliveryOutcome.Rejected.class);
  }

  @Test
  void theGraphVersionIsASettingAndAnEndedOneIsNamedAtStart() {
    Clock december = Clock.fixed(java.time.Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC);
    var checked =
        new MetaPartnerConnector(
            new PartnerHttp(new OkHttpClient(), new RetryDelays(december), "meta"),
            MAPPER,
            december);

    assertThat(MetaGraph.baseUrl(destination().withSetting("graph_version", "v25.0")))
        .endsWith("/v25.0");
    assertThat(checked.settingWarnings(destination())).isEmpty();
    assertThat(checked.settingWarnings(destination().withSetting("graph_version", "v21.0")))
        .containsExactly(
            "graph_version v21.0 reached its end on 2025-09-09 (Meta's Marketing API version"
                + " history): Meta no longer serves it as such; use v26.0 or later");
    assertThat(checked.settingWarnings(destination().withSetting("graph_version", "v24.0")))
        .singleElement()
        .asString()
        .contains("2026-11-10");
    assertThat(checked.settingWarnings(destination().withSetting("graph_version", "v25.0")))
        .isEmpty();
    assertThat(checked.settingWarnings(destination().withSetting("graph_version", "v19.0")))
        .singleElement()
        .asString()
        .contains("older than v21.0");
    assertThat(checked.checkSettings(destination().withSetting("graph_version", "26")))
        .containsExactly("graph_version must look like v26.0 (a Marketing API version), got '26'");
    assertThat(
            checked.checkSettings(
                destination().withSetting("base_url", "https://graph.facebook.com/v21.0")))
        .singleElement()
        .asString()
        .startsWith("base_url names a Graph API version");
  }

  @Test
  void anInvalidTokenParksTheBatchForANewLogin() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(
        new MockResponse.Builder()
            .code(400)
            .body("{\"error\":{\"message\":\"Error validating access token\",\"code\":190}}")
            .build());

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a"))));

    assertThat(outcome).isInstanceOf(DeliveryOutcome.AwaitingAuthentication.class);
    assertThat(((DeliveryOutcome.AwaitingAuthentication) outcome).reason())
        .contains("code 190")
        .doesNotContain("EAAB-secret");
  }

  @Test
  void adAccountChoicesComeFromTheLoggedInUser() {
    script(
        ok(
            "{\"data\":[{\"name\":\"ACME FR\",\"account_id\":\"991\",\"id\":\"act_991\"},"
                + "{\"name\":\"ACME ES\",\"account_id\":\"992\",\"id\":\"act_992\"}]}"));

    var result =
        connector.dynamicPropertyValues(
            destination(),
            new UserRequest(
                new PlatformUserId("2291"), "1509", null, null, null, FeedProperties.none(), null),
            Optional.empty());

    assertThat(result)
        .isEqualTo(
            PartnerAnswer.given(
                new AccountChoices.Offered(
                    List.of(
                        new AccountChoices.Property(
                            "ad_account_id",
                            List.of(
                                new AccountChoices.Choice("ACME FR (act_991)", "act_991"),
                                new AccountChoices.Choice("ACME ES (act_992)", "act_992")))))));
    assertThat(received.getLast().getUrl().encodedPath()).endsWith("/me/adaccounts");
    assertThat(received.getLast().getUrl().queryParameter("fields")).isEqualTo("name,account_id");
  }

  @Test
  void troubleshootShowsMetasSizeAndStatuses() {
    script(
        ok(
            "{\"id\":\"238\",\"approximate_count_lower_bound\":1000,\"approximate_count_upper_bound\":1200,"
                + "\"operation_status\":{\"code\":200,\"description\":\"Normal\"},"
                + "\"delivery_status\":{\"code\":300,\"description\":\"Audience is too small\"}}"));

    var result =
        connector.describeAudience(
            destination(),
            DomainFixtures.SEGMENT,
            Optional.of(new PartnerAudience("238", "mics_84213")));

    assertThat(result)
        .isEqualTo(
            PartnerAnswer.given(
                new AudienceFacts(
                    "Meta custom audience",
                    Map.of(
                        "audience_id", "238",
                        "approximate_count_lower_bound", 1000L,
                        "approximate_count_upper_bound", 1200L,
                        "operation_status", "200 Normal",
                        "delivery_status", "300 Audience is too small"))));
  }

  @Test
  void testingAuthenticationAsksMetaWhoTheStoredLoginIs() {
    Destination withApp =
        destination()
            .withSetting("app_id", "1234")
            .withSetting("app_secret", "s3cret")
            .withSetting("redirect_uri", "https://navigator.example/cb");
    var stored = DestinationCredentials.oauth2RefreshToken("EAA-long");

    script(ok("{\"id\":\"10158\"}"));
    assertThat(connector.testAuthentication(withApp, stored))
        .isEqualTo(PartnerAnswer.given(new CredentialsCheck.Valid("Meta login valid")));
    assertThat(received.getLast().getUrl().queryParameter("access_token")).isEqualTo("EAA-long");

    script(
        new MockResponse.Builder()
            .code(400)
            .body("{\"error\":{\"message\":\"Session has expired\",\"code\":190}}")
            .build());
    assertThat(connector.testAuthentication(withApp, stored))
        .isInstanceOfSatisfying(
            PartnerAnswer.Given.class,
            given ->
                assertThat(((CredentialsCheck.Invalid) given.value()).message())
                    .contains("code 190")
                    .doesNotContain("EAA-long"));
    assertThat(connector.testAuthentication(destination(), stored))
        .isInstanceOf(PartnerAnswer.NotOffered.class);
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static Map<String, String> form(RecordedRequest request) {
    Map<String, String> fields = new LinkedHashMap<>();
    String body = request.getBody() == null ? "" : request.getBody().utf8();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

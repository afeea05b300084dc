package io.audiencerelay.adapters.partner.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.http.HttpPartnerConnectorContract;
import io.audiencerelay.adapters.partner.http.PartnerHttp;
import io.audiencerelay.adapters.partner.http.RetryDelays;
import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.out.PartnerConnector;
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
                + elsewhere.url("/v21.0/act_123/customaudiences?access_token=EAAB-secret&after=x")
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
            partner.url("/v21.0").toString()));
  }

  /** Meta matches on external ids: the contract's users are customer accounts here. */
  @Override
  protected UserIdentifier identifierFor(String user) {
    return new UserIdentifier.UserAccount(user, null);
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (path.equals("/v21.0/act_123/customaudiences") && request.getMethod().equals("GET")) {
      StringBuilder data = new StringBuilder();
      audiencesByName.forEach(
          (name, id) ->
              data.append(data.isEmpty() ? "" : ",")
                  .append("{\"id\":\"")
                  .append(id)
                  .append("\",\"name\":\"")
                  .append(name)
                  .append("\"}"));
      return ok("{\"data\":[" + data + "],\"paging\":{}}");
    }
    if (path.equals("/v21.0/act_123/customaudiences")) {
      String name = form(request).get("name");
      String id = audiencesByName.computeIfAbsent(name, n -> "2385" + (audiencesByName.size() + 1));
      return ok("{\"id\":\"" + id + "\"}");
    }
    if (path.endsWith("/users")) {
      return ok("{\"audience_id\":\"x\",\"num_received\":1,\"num_invalid_entries\":0}");
    }
    String id = path.substring(path.lastIndexOf('/') + 1);
    return audiencesByName.containsValue(id)
        ? ok("{\"id\":\"" + id + "\",\"name\":\"n\"}")
        : new MockResponse.Builder()
            .code(400)
            .body(
                "{\"error\":{\"message\":\"Object with ID '"
                    + id
                    + "' does not exist\",\"code\":100,\"error_subcode\":33}}")
            .build();
  }

  /** Meta throttles with HTTP 400 and an error code, without a delay header. */
  @Override
  protected MockResponse throttled(Duration wait) {
    return new MockResponse.Builder()
        .code(400)
        .setHeader("Retry-After", wait.toSeconds())
        .body(
            "{\"error\":{\"message\":\"User request limit reached\",\"code\":17,\"error_subcode\":2446079}}")
        .build();
  }

  @Override
  protected List<MembershipChange> changesIn(RecordedRequest request, PartnerAudience audience) {
    List<MembershipChange> changes = new ArrayList<>();
    if (!request.getUrl().encodedPath().equals("/v21.0/" + audience.id() + "/users")) {
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
    assertThat(json(form.get("payload")))
        .isEqualTo(
            json(
                "{\"schema\":[\"EMAIL_SHA256\",\"MADID\",\"EXTERN_ID\"],\"data\":[[\"973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b\",\"ab12-cd34\",\"crm-1\"]]}"));
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
  void anAudienceDeletedAtMetaIsReportedMissing() {
    var outcome = connector.checkAudience(destination(), new PartnerAudience("999", "mics_84213"));

    assertThat(outcome).isInstanceOf(AudienceOutcome.Missing.class);
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
            new DynamicPropertyValuesQuery(
                new PlatformUserId("2291"), "1509", null, FeedProperties.none(), null),
            Optional.empty());

    assertThat(result)
        .isEqualTo(
            new DynamicPropertyValuesResult.Values(
                List.of(
                    new DynamicPropertyValuesResult.PropertyChoices(
                        "ad_account_id",
                        List.of(
                            new DynamicPropertyValuesResult.Choice("ACME FR (act_991)", "act_991"),
                            new DynamicPropertyValuesResult.Choice(
                                "ACME ES (act_992)", "act_992"))))));
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
            new TroubleshootResult.Found(
                "Meta custom audience",
                Map.of(
                    "audience_id", "238",
                    "approximate_count_lower_bound", 1000L,
                    "approximate_count_upper_bound", 1200L,
                    "operation_status", "200 Normal",
                    "delivery_status", "300 Audience is too small")));
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
        .isEqualTo(new CredentialsTestResult.Valid("Meta login valid"));
    assertThat(received.getLast().getUrl().queryParameter("access_token")).isEqualTo("EAA-long");

    script(
        new MockResponse.Builder()
            .code(400)
            .body("{\"error\":{\"message\":\"Session has expired\",\"code\":190}}")
            .build());
    assertThat(connector.testAuthentication(withApp, stored))
        .isInstanceOfSatisfying(
            CredentialsTestResult.Invalid.class,
            invalid ->
                assertThat(invalid.message()).contains("code 190").doesNotContain("EAA-long"));
    assertThat(connector.testAuthentication(destination(), stored))
        .isInstanceOf(NotImplemented.class);
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

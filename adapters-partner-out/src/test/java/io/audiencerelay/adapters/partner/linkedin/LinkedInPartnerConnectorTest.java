package io.audiencerelay.adapters.partner.linkedin;

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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Against a small fake of LinkedIn's DMP segments API for sponsored account 507. */
class LinkedInPartnerConnectorTest extends HttpPartnerConnectorContract {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String HASH = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
  final Map<String, String> segmentsBySource = new ConcurrentHashMap<>();
  final Map<String, String> statusById = new ConcurrentHashMap<>();
  final Map<String, String> emailsByHash = new ConcurrentHashMap<>();
  final LinkedInPartnerConnector connector =
      new LinkedInPartnerConnector(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(Clock.systemUTC()), "linkedin"),
          MAPPER,
          Clock.systemUTC());

  @Override
  protected PartnerConnector connector() {
    return connector;
  }

  @Override
  protected Destination destination() {
    return DomainFixtures.destination(
        "b2b",
        "linkedin",
        Map.of(
            "access_token",
            "AQV-secret",
            "ad_account_id",
            "507",
            "base_url",
            partner.url("/rest").toString()));
  }

  /** LinkedIn matches SHA-256 e-mails: each contract user gets the hash of its own address. */
  @Override
  protected UserIdentifier identifierFor(String user) {
    String email = user + "@example.com";
    emailsByHash.put(
        io.audiencerelay.domain.hashing.Hashing.sha256(
            email, io.audiencerelay.domain.hashing.Hashing.Encoding.HEX),
        email);
    return new UserIdentifier.UserEmail(null, email);
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    if (path.equals("/rest/dmpSegments") && request.getMethod().equals("GET")) {
      String id = segmentsBySource.get(request.getUrl().queryParameter("sourceSegmentId"));
      return ok(
          id == null
              ? "{\"elements\":[]}"
              : "{\"elements\":[{\"id\":" + id + ",\"status\":\"" + statusById.get(id) + "\"}]}");
    }
    if (path.equals("/rest/dmpSegments")) {
      String source = json(request.getBody().utf8()).get("sourceSegmentId").asText();
      String id =
          segmentsBySource.computeIfAbsent(
              source, s -> Integer.toString(900 + segmentsBySource.size()));
      statusById.put(id, "BUILDING");
      return new MockResponse.Builder().code(201).setHeader("x-restli-id", id).build();
    }
    if (path.endsWith("/users")) {
      String segment = path.split("/")[3];
      return statusById.containsKey(segment)
          ? ok("{\"elements\":[{\"status\":201}]}")
          : new MockResponse.Builder().code(404).build();
    }
    String id = path.substring(path.lastIndexOf('/') + 1);
    return statusById.containsKey(id)
        ? ok("{\"id\":" + id + ",\"status\":\"" + statusById.get(id) + "\"}")
        : new MockResponse.Builder().code(404).build();
  }

  /**
   * LinkedIn throttles with a plain 429; this test's fake adds Retry-After to check it is honoured
   * when sent.
   */
  @Override
  protected MockResponse throttled(Duration wait) {
    return new MockResponse.Builder().code(429).setHeader("Retry-After", wait.toSeconds()).build();
  }

  @Override
  protected List<MembershipChange> changesIn(RecordedRequest request, PartnerAudience audience) {
    List<MembershipChange> changes = new ArrayList<>();
    if (!request.getUrl().encodedPath().equals("/rest/dmpSegments/" + audience.id() + "/users")) {
      return changes;
    }
    for (JsonNode element : json(request.getBody().utf8()).get("elements")) {
      changes.add(
          new MembershipChange(
              DomainFixtures.SEGMENT,
              element.get("action").asText().equals("ADD")
                  ? MembershipOperation.ADD
                  : MembershipOperation.REMOVE,
              List.of(
                  new UserIdentifier.UserEmail(
                      null, emailOf(element.get("userIds").get(0).get("idValue").asText()))),
              DomainFixtures.T0));
    }
    return changes;
  }

  @Test
  void aNewSegmentIsCreatedOnceAndIsNotReadyAtFirst() {
    var created = connector.createAudience(destination(), DomainFixtures.SEGMENT);
    var again = connector.createAudience(destination(), DomainFixtures.SEGMENT);

    assertThat(created).isInstanceOf(AudienceOutcome.NotReadyYet.class);
    assertThat(again)
        .isEqualTo(new AudienceOutcome.Ready(new PartnerAudience("900", "mics_84213")));
    RecordedRequest create =
        received.stream().filter(r -> r.getMethod().equals("POST")).findFirst().orElseThrow();
    assertThat(json(create.getBody().utf8()))
        .isEqualTo(
            json(
                """
                {"name":"mics_84213","account":"urn:li:sponsoredAccount:507","accessPolicy":"PRIVATE",
                 "sourcePlatform":"STREAMING","sourceSegmentId":"mics-6921-84213","type":"USER_STREAMING",
                 "destinations":[{"destination":"LINKEDIN"}]}
                """));
    assertThat(create.getHeaders().get("Authorization")).isEqualTo("Bearer AQV-secret");
    assertThat(create.getHeaders().get("X-Restli-Protocol-Version")).isEqualTo("2.0.0");
    assertThat(create.getHeaders().get("LinkedIn-Version")).isEqualTo("202610");
  }

  @Test
  void usersAreSentAsBatchCreateElementsWithHashedEmailsAndAndroidIds() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    var change =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.REMOVE,
            List.of(
                new UserIdentifier.UserEmail(null, " Test@Example.com "),
                new UserIdentifier.DeviceTechnicalId(
                    "MOBILE_ADVERTISING_ID", "mob:and:raw:AB12-CD34", "12"),
                new UserIdentifier.UserPoint("u1")),
            DomainFixtures.T0);
    var iosOnly =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.ADD,
            List.of(
                new UserIdentifier.DeviceTechnicalId(
                    "MOBILE_ADVERTISING_ID", "mob:ios:raw:XYZ", "12")),
            DomainFixtures.T0);

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(change, iosOnly)));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    RecordedRequest users = received.getLast();
    assertThat(users.getHeaders().get("X-RestLi-Method")).isEqualTo("BATCH_CREATE");
    assertThat(json(users.getBody().utf8()))
        .isEqualTo(
            json(
                "{\"elements\":[{\"action\":\"REMOVE\",\"userIds\":[{\"idType\":\"SHA256_EMAIL\",\"idValue\":\""
                    + HASH
                    + "\"},{\"idType\":\"GOOGLE_AID\",\"idValue\":\"ab12-cd34\"}]}]}"));
  }

  @Test
  void aSegmentThatIsNotYetVisibleIsWaitedForNotDropped() {
    PartnerAudience audience = new PartnerAudience("4242", "mics_84213");

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a"))));

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(((DeliveryOutcome.Retry) outcome).after()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aRefusedTokenParksTheBatchForANewLogin() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(
        new MockResponse.Builder()
            .code(401)
            .body("{\"message\":\"Invalid access token\"}")
            .build());

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a"))));

    assertThat(outcome)
        .isEqualTo(
            new DeliveryOutcome.AwaitingAuthentication(
                "LinkedIn refused the access token (401): revoked or expired"));
  }

  @Test
  void troubleshootShowsLinkedInsStatusCountsAndSevenDayMatchRate() {
    script(
        ok(
            "{\"id\":4242,\"status\":\"READY\",\"matchedCount\":1500,\"inputCount\":2000,"
                + "\"audienceSize\":1200}"));

    var result =
        connector.describeAudience(
            destination(),
            DomainFixtures.SEGMENT,
            Optional.of(new PartnerAudience("4242", "mics_84213")));

    assertThat(result)
        .isEqualTo(
            new TroubleshootResult.Found(
                "LinkedIn DMP segment",
                Map.of(
                    "segment_id",
                    "4242",
                    "status",
                    "READY",
                    "audienceSize",
                    1200L,
                    "matchedCount",
                    1500L,
                    "inputCount",
                    2000L,
                    "match_rate_7_days",
                    75.0)));
    assertThat(received.getLast().getUrl().encodedPath()).isEqualTo("/rest/dmpSegments/4242");
  }

  @Test
  void adAccountChoicesAreTheAccountsTheMemberMayWriteTo() {
    script(
        ok(
            "{\"elements\":[{\"account\":\"urn:li:sponsoredAccount:507\",\"role\":\"CAMPAIGN_MANAGER\"},"
                + "{\"account\":\"urn:li:sponsoredAccount:508\",\"role\":\"VIEWER\"},"
                + "{\"account\":\"urn:li:sponsoredAccount:509\",\"role\":\"ACCOUNT_MANAGER\"}]}"),
        ok("{\"id\":507,\"name\":\"ACME France\"}"),
        new MockResponse.Builder().code(500).build());

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
                            new DynamicPropertyValuesResult.Choice("ACME France (507)", "507"),
                            new DynamicPropertyValuesResult.Choice("Ad account (509)", "509"))))));
    assertThat(received.getFirst().getUrl().query()).isEqualTo("q=authenticatedUser");
    assertThat(received.getFirst().getHeaders().get("Authorization"))
        .isEqualTo("Bearer AQV-secret");

    script(
        ok("{\"elements\":[{\"account\":\"urn:li:sponsoredAccount:508\",\"role\":\"VIEWER\"}]}"));
    assertThat(
            connector.dynamicPropertyValues(
                destination(),
                new DynamicPropertyValuesQuery(
                    new PlatformUserId("2291"), "1509", null, FeedProperties.none(), null),
                Optional.empty()))
        .isEqualTo(
            new DynamicPropertyValuesResult.Empty(
                "This LinkedIn login can write to no ad account (a VIEWER role cannot)"));
  }

  @Test
  void testingAuthenticationRefreshesTheGrantAndChecksTheRoleOnTheAccount() {
    Destination withApp =
        destination()
            .withSetting("client_id", "app-123")
            .withSetting("client_secret", "s3cret")
            .withSetting("redirect_uri", "https://navigator.example/cb")
            .withSetting("oauth_url", partner.url("/oauth/v2").toString());
    var stored = DestinationCredentials.oauth2RefreshToken("AQX-refresh");
    String token = "{\"access_token\":\"AQV-fresh\",\"expires_in\":5184000}";

    script(
        ok(token),
        ok(
            "{\"elements\":[{\"account\":\"urn:li:sponsoredAccount:507\",\"role\":\"CAMPAIGN_MANAGER\"}]}"));
    assertThat(connector.testAuthentication(withApp, stored))
        .isEqualTo(
            new CredentialsTestResult.Valid(
                "LinkedIn grant valid, role CAMPAIGN_MANAGER on the ad account"));
    assertThat(received.getLast().getHeaders().get("Authorization")).isEqualTo("Bearer AQV-fresh");

    script(
        ok(token),
        ok("{\"elements\":[{\"account\":\"urn:li:sponsoredAccount:507\",\"role\":\"VIEWER\"}]}"));
    assertThat(connector.testAuthentication(withApp, stored))
        .isEqualTo(
            new CredentialsTestResult.Invalid(
                "This LinkedIn login cannot write to ad account 507 (VIEWER role)"));

    script(
        new MockResponse.Builder()
            .code(400)
            .body("{\"error\":\"invalid_grant\",\"error_description\":\"Token has been revoked.\"}")
            .build());
    assertThat(connector.testAuthentication(withApp, stored))
        .isEqualTo(
            new CredentialsTestResult.Invalid(
                "LinkedIn refused the grant: invalid_grant: Token has been revoked."));

    assertThat(connector.testAuthentication(destination(), stored))
        .isInstanceOf(NotImplemented.class);
  }

  @Test
  void connectionSeesDeletedAndFailedSegments() {
    statusById.put("77", "FAILED");

    assertThat(connector.checkAudience(destination(), new PartnerAudience("77", "n")))
        .isInstanceOf(AudienceOutcome.Rejected.class);
    assertThat(connector.checkAudience(destination(), new PartnerAudience("404404", "n")))
        .isInstanceOf(AudienceOutcome.Missing.class);
  }

  @Test
  void elementsLinkedInRefusesAreRefusedAloneByPosition() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    var unusable =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.ADD,
            List.of(new UserIdentifier.UserPoint("u")),
            DomainFixtures.T0);
    script(
        ok("{\"elements\":[{\"status\":201},{\"status\":400,\"message\":\"Invalid idValue\"}]}"));

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch(
                "b", DomainFixtures.SEGMENT, List.of(add("a"), unusable, add("b"))));

    assertThat(outcome)
        .isEqualTo(
            new DeliveryOutcome.PartlyRejected(
                List.of(2), "LinkedIn refused 1 element(s), first: Invalid idValue"));
  }

  private String emailOf(String hash) {
    return emailsByHash.getOrDefault(hash, "unknown@example.com");
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.audiencerelay.adapters.partner.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.adapters.partner.client.HttpPartnerConnectorContract;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.RetryDelays;
import io.audiencerelay.application.fakes.MutableClock;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Against a small fake of LinkedIn's DMP segments API for sponsored account 507. */
class LinkedInPartnerConnectorTest extends HttpPartnerConnectorContract {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String HASH = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
  static final Set<String> CREATE_FIELDS =
      Set.of(
          "name",
          "description",
          "sourcePlatform",
          "account",
          "accessPolicy",
          "type",
          "destinations");
  static final Set<String> ID_TYPES = Set.of("SHA256_EMAIL", "SHA512_EMAIL", "GOOGLE_AID");

  /** The account's segments, by id, in creation order, as LinkedIn keeps them. */
  final Map<String, ObjectNode> segments =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());

  final Map<String, String> emailsByHash = new ConcurrentHashMap<>();
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
  final LinkedInPartnerConnector connector =
      new LinkedInPartnerConnector(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(clock), "linkedin"), MAPPER, clock);

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

  /**
   * LinkedIn's DMP segments API as its documentation shows it: the account finder (paged, with the
   * segment's state in {@code destinations[]} and {@code inputCount} on the segment, as in the
   * Postman collection's sample answer), a creation that answers 201 and {@code x-restli-id}, and
   * the users sub-resource that answers one status per element. A request that leaves the
   * documented format (headers, fields, id types, a {@code type} other than the streaming flow's
   * {@code USER}) gets LinkedIn's error instead, so the tests fail when the adapter drifts.
   */
  @Override
  protected MockResponse answer(RecordedRequest request) {
    Optional<String> badHeaders = leavesTheDocumentedHeaders(request);
    if (badHeaders.isPresent()) {
      return error(400, badHeaders.get());
    }
    String path = request.getUrl().encodedPath();
    if (path.equals("/rest/dmpSegments") && request.getMethod().equals("GET")) {
      return find(request);
    }
    if (path.equals("/rest/dmpSegments")) {
      return create(json(request.getBody().utf8()));
    }
    if (path.endsWith("/users")) {
      String segment = path.split("/")[3];
      if (!segments.containsKey(segment)) {
        return error(404, "Not Found");
      }
      return users(request);
    }
    ObjectNode segment = segments.get(path.substring(path.lastIndexOf('/') + 1));
    return segment == null ? error(404, "Not Found") : ok(segment.toString());
  }

  private MockResponse find(RecordedRequest request) {
    var url = request.getUrl();
    if (!"account".equals(url.queryParameter("q")) || url.queryParameter("account") == null) {
      return error(400, "Invalid finder");
    }
    List<ObjectNode> matching = new ArrayList<>();
    synchronized (segments) {
      for (ObjectNode segment : segments.values()) {
        if (segment.get("account").asText().equals(url.queryParameter("account"))
            && (url.queryParameter("sourcePlatform") == null
                || segment
                    .get("sourcePlatform")
                    .asText()
                    .equals(url.queryParameter("sourcePlatform")))) {
          matching.add(segment);
        }
      }
    }
    int start = Integer.parseInt(Optional.ofNullable(url.queryParameter("start")).orElse("0"));
    int count =
        Integer.parseInt(
            Optional.ofNullable(url.queryParameter("count"))
                .orElse(Integer.toString(matching.size())));
    ObjectNode page = MAPPER.createObjectNode();
    page.putObject("paging")
        .put("start", start)
        .put("count", count)
        .put("total", matching.size())
        .putArray("links");
    ArrayNode elements = page.putArray("elements");
    matching.stream().skip(start).limit(count).forEach(elements::add);
    return ok(page.toString());
  }

  private MockResponse create(JsonNode body) {
    Set<String> fields = new java.util.TreeSet<>();
    body.fieldNames().forEachRemaining(fields::add);
    Set<String> unknown = new java.util.TreeSet<>(fields);
    unknown.removeAll(CREATE_FIELDS);
    if (!unknown.isEmpty()) {
      return error(400, "Unpermitted fields present in REQUEST_BODY: " + unknown);
    }
    Set<String> missing = new java.util.TreeSet<>(CREATE_FIELDS);
    missing.remove("description");
    missing.removeAll(fields);
    if (!missing.isEmpty()) {
      return error(400, "Required fields missing: " + missing);
    }
    if (!body.get("type").asText().equals("USER")
        || !body.get("destinations").equals(json("[{\"destination\":\"LINKEDIN\"}]"))) {
      return error(400, "Invalid type or destinations");
    }
    String id = Integer.toString(900 + segments.size());
    ObjectNode segment = (ObjectNode) body.deepCopy();
    segment.put("id", Long.parseLong(id));
    segment.put("created", 1683068124000L);
    segment.put("lastModified", 1683068124000L);
    ObjectNode onLinkedIn = (ObjectNode) segment.withArray("destinations").get(0);
    onLinkedIn.put("destinationSegmentId", "urn:li:adSegment:" + id);
    onLinkedIn.put("status", "BUILDING");
    segments.put(id, segment);
    return new MockResponse.Builder().code(201).setHeader("x-restli-id", id).build();
  }

  private MockResponse users(RecordedRequest request) {
    if (!"BATCH_CREATE".equals(request.getHeaders().get("X-RestLi-Method"))) {
      return error(400, "A batch needs X-RestLi-Method: BATCH_CREATE");
    }
    JsonNode elements = json(request.getBody().utf8()).path("elements");
    StringBuilder statuses = new StringBuilder();
    for (JsonNode element : elements) {
      String action = element.path("action").asText();
      boolean valid =
          (action.equals("ADD") || action.equals("REMOVE")) && element.path("userIds").size() > 0;
      for (JsonNode id : element.path("userIds")) {
        String type = id.path("idType").asText();
        valid &= ID_TYPES.contains(type);
        valid &=
            !type.equals("SHA256_EMAIL") || id.path("idValue").asText().matches("[0-9a-f]{64}");
      }
      if (!valid) {
        return error(400, "Invalid element: " + element);
      }
      statuses.append(statuses.isEmpty() ? "" : ",").append("{\"status\":201}");
    }
    return ok("{\"elements\":[" + statuses + "]}");
  }

  /** Every call of the versioned API carries these three headers. */
  private static Optional<String> leavesTheDocumentedHeaders(RecordedRequest request) {
    var headers = request.getHeaders();
    if (headers.get("Authorization") == null
        || !headers.get("Authorization").startsWith("Bearer ")) {
      return Optional.of("Missing Bearer token");
    }
    if (headers.get("LinkedIn-Version") == null
        || !headers.get("LinkedIn-Version").matches("\\d{6}")) {
      return Optional.of("A LinkedIn-Version header is required");
    }
    if (!"2.0.0".equals(headers.get("X-Restli-Protocol-Version"))) {
      return Optional.of("X-Restli-Protocol-Version 2.0.0 is required");
    }
    return Optional.empty();
  }

  /** LinkedIn's error body. */
  private static MockResponse error(int status, String message) {
    return new MockResponse.Builder()
        .code(status)
        .setHeader("Content-Type", "application/json")
        .body("{\"message\":\"" + message.replace("\"", "'") + "\",\"status\":" + status + "}")
        .build();
  }

  /** A segment of the account, with its LINKEDIN destination in the given state. */
  private ObjectNode segmentOnLinkedIn(String id, String name, String status) {
    ObjectNode segment =
        (ObjectNode)
            json(
                "{\"created\":1634519022000,\"destinations\":[{\"audienceSize\":240000,"
                    + "\"destinationSegmentId\":\"urn:li:adSegment:8596576\",\"created\":1634519022000,"
                    + "\"destination\":\"LINKEDIN\",\"matchedCount\":2,\"lastModified\":1637219449000,"
                    + "\"status\":\""
                    + status
                    + "\"}],\"name\":\""
                    + name
                    + "\",\"sourcePlatform\":\"STREAMING\",\"accessPolicy\":\"PRIVATE\",\"id\":"
                    + id
                    + ",\"lastModified\":1634592751000,\"type\":\"USER\","
                    + "\"account\":\"urn:li:sponsoredAccount:507\",\"inputCount\":2}");
    segments.put(id, segment);
    return segment;
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
                {"name":"mics_84213","description":"mediarithmics segment 84213 (audience-relay)",
                 "sourcePlatform":"STREAMING","account":"urn:li:sponsoredAccount:507",
                 "accessPolicy":"PRIVATE","type":"USER","destinations":[{"destination":"LINKEDIN"}]}
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
  void troubleshootReadsStatusAndCountsFromTheLinkedInDestination() {
    segmentOnLinkedIn("9821736", "mics_84213", "READY");

    var result =
        connector.describeAudience(
            destination(),
            DomainFixtures.SEGMENT,
            Optional.of(new PartnerAudience("9821736", "mics_84213")));

    assertThat(result)
        .isEqualTo(
            PartnerAnswer.given(
                new AudienceFacts(
                    "LinkedIn DMP segment",
                    Map.of(
                        "segment_id",
                        "9821736",
                        "status",
                        "READY",
                        "audienceSize",
                        240000L,
                        "matchedCount",
                        2L,
                        "inputCount",
                        2L,
                        "match_rate_7_days",
                        100.0))));
    assertThat(received.getLast().getUrl().encodedPath()).isEqualTo("/rest/dmpSegments/9821736");
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
                                new AccountChoices.Choice("ACME France (507)", "507"),
                                new AccountChoices.Choice("Ad account (509)", "509")))))));
    assertThat(received.getFirst().getUrl().query()).isEqualTo("q=authenticatedUser");
    assertThat(received.getFirst().getHeaders().get("Authorization"))
        .isEqualTo("Bearer AQV-secret");

    script(
        ok("{\"elements\":[{\"account\":\"urn:li:sponsoredAccount:508\",\"role\":\"VIEWER\"}]}"));
    assertThat(
            connector.dynamicPropertyValues(
                destination(),
                new UserRequest(
                    new PlatformUserId("2291"),
                    "1509",
                    null,
                    null,
                    null,
                    FeedProperties.none(),
                    null),
                Optional.empty()))
        .isEqualTo(
            PartnerAnswer.given(
                new AccountChoices.NoneFor(
                    "This LinkedIn login can write to no ad account (a VIEWER role cannot)")));
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
            PartnerAnswer.given(
                new CredentialsCheck.Valid(
                    "LinkedIn grant valid, role CAMPAIGN_MANAGER on the ad account")));
    assertThat(received.getLast().getHeaders().get("Authorization")).isEqualTo("Bearer AQV-fresh");

    script(
        ok(token),
        ok("{\"elements\":[{\"account\":\"urn:li:sponsoredAccount:507\",\"role\":\"VIEWER\"}]}"));
    assertThat(connector.testAuthentication(withApp, stored))
        .isEqualTo(
            PartnerAnswer.given(
                new CredentialsCheck.Invalid(
                    "This LinkedIn login cannot write to ad account 507 (VIEWER role)")));

    script(
        new MockResponse.Builder()
            .code(400)
            .body("{\"error\":\"invalid_grant\",\"error_description\":\"Token has been revoked.\"}")
            .build());
    assertThat(connector.testAuthentication(withApp, stored))
        .isEqualTo(
            PartnerAnswer.given(
                new CredentialsCheck.Invalid(
                    "LinkedIn refused the grant: invalid_grant: Token has been revoked.")));

    assertThat(connector.testAuthentication(destination(), stored))
        .isInstanceOf(PartnerAnswer.NotOffered.class);
  }

  @Test
  void connectionReadsTheStateLinkedInKeepsInDestinationsNeverADefault() {
    segmentOnLinkedIn("77", "n", "FAILED");
    // A top-level status is not where LinkedIn keeps it: the destination's EXPIRED wins.
    segmentOnLinkedIn("78", "n", "EXPIRED").put("status", "READY");
    ObjectNode unreported = segmentOnLinkedIn("79", "n", "READY");
    ((ObjectNode) unreported.withArray("destinations").get(0)).remove("status");
    segmentOnLinkedIn("80", "n", "UPDATING");

    assertThat(connector.checkAudience(destination(), new PartnerAudience("77", "n")))
        .isEqualTo(
            new AudienceOutcome.Rejected("LinkedIn segment 77 is FAILED and takes no users"));
    assertThat(connector.checkAudience(destination(), new PartnerAudience("78", "n")))
        .isInstanceOf(AudienceOutcome.Rejected.class);
    assertThat(connector.checkAudience(destination(), new PartnerAudience("79", "n")))
        .isEqualTo(
            new AudienceOutcome.NotReadyYet(
                new PartnerAudience("79", "n"), "LinkedIn reports no status for segment 79 yet"));
    assertThat(connector.checkAudience(destination(), new PartnerAudience("80", "n")))
        .isInstanceOf(AudienceOutcome.Ready.class);
    assertThat(connector.checkAudience(destination(), new PartnerAudience("404404", "n")))
        .isInstanceOf(AudienceOutcome.Missing.class);
  }

  @Test
  void theSegmentIsFoundByNameOnALaterPageOfTheAccountsSegments() {
    for (int i = 0; i < 150; i++) {
      segmentOnLinkedIn(Integer.toString(10_000 + i), "someone else's " + i, "READY");
    }
    segmentOnLinkedIn("20000", "mics_84213", "READY");

    var found = connector.createAudience(destination(), DomainFixtures.SEGMENT);

    assertThat(found)
        .isEqualTo(new AudienceOutcome.Ready(new PartnerAudience("20000", "mics_84213")));
    assertThat(received).noneMatch(r -> r.getMethod().equals("POST"));
    assertThat(received)
        .extracting(r -> r.getUrl().queryParameter("start"))
        .containsExactly("0", "100");
  }

  @Test
  void theSourcePlatformLinkedInGaveIsASetting() {
    Destination ours = destination().withSetting("source_platform", "ACME_DMP");

    connector.createAudience(ours, DomainFixtures.SEGMENT);

    assertThat(received.getFirst().getUrl().queryParameter("sourcePlatform")).isEqualTo("ACME_DMP");
    assertThat(json(received.getLast().getBody().utf8()).get("sourcePlatform").asText())
        .isEqualTo("ACME_DMP");
    assertThat(connector.checkSettings(destination().withSetting("source_platform", "acme dmp")))
        .containsExactly(
            "source_platform must be an upper-case LinkedIn enum value, got 'acme dmp'");
  }

  @Test
  void theBatchSizeIsASettingBecauseLinkedInDocumentsNone() {
    assertThat(connector.maxBatchSize(destination())).isEqualTo(5_000);
    assertThat(connector.maxBatchSize(destination().withSetting("batch_size", "2000")))
        .isEqualTo(2_000);
    assertThat(connector.checkSettings(destination().withSetting("batch_size", "20000")))
        .containsExactly("batch_size must be a whole number from 1 to 10000, got '20000'");
    assertThat(
            connector.checkSettings(destination().withSetting("member_calls_per_minute", "1000")))
        .containsExactly(
            "member_calls_per_minute must be a whole number from 1 to 600, got '1000'");
  }

  @Test
  void theMembersMinuteOfUsersCallsIsNeverExceeded() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    Destination two = destination().withSetting("member_calls_per_minute", "2");
    MembershipBatch batch = new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a")));

    assertThat(connector.deliver(two, audience, batch)).isEqualTo(DeliveryOutcome.ok());
    clock.advance(Duration.ofSeconds(20));
    assertThat(connector.deliver(two, audience, batch)).isEqualTo(DeliveryOutcome.ok());
    var third = connector.deliver(two, audience, batch);

    assertThat(third)
        .isEqualTo(
            new DeliveryOutcome.Deferred(
                Duration.ofSeconds(40),
                "LinkedIn's per-member limit on /users: the member's minute is spent"));
    assertThat(received).filteredOn(r -> r.getUrl().encodedPath().endsWith("/users")).hasSize(2);
    clock.advance(Duration.ofSeconds(40));
    assertThat(connector.deliver(two, audience, batch)).isEqualTo(DeliveryOutcome.ok());
  }

  @Test
  void a429PausesTheMemberAtEveryDestinationThatUsesIt() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    Destination other =
        DomainFixtures.destination(
            "b2b-emea",
            "linkedin",
            Map.of(
                "access_token", "AQV-secret",
                "ad_account_id", "508",
                "base_url", partner.url("/rest").toString()));
    MembershipBatch batch = new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(add("a")));
    script(error(429, "Resource level throttle limit for calls to this resource is reached"));

    assertThat(connector.deliver(destination(), audience, batch))
        .isInstanceOfSatisfying(
            DeliveryOutcome.Retry.class,
            retry -> assertThat(retry.after()).isEqualTo(Duration.ofMinutes(1)));
    int calls = received.size();
    assertThat(connector.deliver(other, audience, batch))
        .isInstanceOf(DeliveryOutcome.Deferred.class);
    assertThat(received).hasSize(calls);
  }

  @Test
  void aLinkedInVersionNearOrPastItsSunsetIsNamedAtStart() {
    assertThat(connector.settingWarnings(destination())).isEmpty();
    assertThat(connector.settingWarnings(destination().withSetting("linkedin_version", "202601")))
        .singleElement()
        .asString()
        .startsWith("linkedin_version 202601 is sunset next month");
    assertThat(connector.settingWarnings(destination().withSetting("linkedin_version", "202510")))
        .singleElement()
        .asString()
        .startsWith("linkedin_version 202510 is probably sunset");
    assertThat(connector.checkSettings(destination().withSetting("linkedin_version", "2026-10")))
        .containsExactly(
            "linkedin_version must be a LinkedIn-Version month like 202610, got '2026-10'");
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

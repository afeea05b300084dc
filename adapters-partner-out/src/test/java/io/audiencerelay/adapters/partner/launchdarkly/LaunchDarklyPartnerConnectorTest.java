package io.audiencerelay.adapters.partner.launchdarkly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.http.HttpPartnerConnectorContract;
import io.audiencerelay.adapters.partner.http.PartnerHttp;
import io.audiencerelay.adapters.partner.http.RetryDelays;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class LaunchDarklyPartnerConnectorTest extends HttpPartnerConnectorContract {
  static final ObjectMapper MAPPER = new ObjectMapper();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  final LaunchDarklyPartnerConnector connector =
      new LaunchDarklyPartnerConnector(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(clock), "launchdarkly"));

  @Override
  protected PartnerConnector connector() {
    return connector;
  }

  /** The contract's fixtures are e-mail hashes, so this destination keys contexts by e-mail. */
  @Override
  protected Destination destination() {
    return DomainFixtures.destination(
        "flags",
        "launchdarkly",
        Map.of(
            "access_token", "api-0000-secret",
            "environment_id", "5f0c0ffee0000000000000a1",
            "context_key", "USER_EMAIL",
            "base_url", partner.url("/").toString()));
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    return new MockResponse.Builder().code(204).build();
  }

  /** LaunchDarkly's rate-limit answer: 429 with the window's end as epoch milliseconds. */
  @Override
  protected MockResponse throttled(Duration wait) {
    return new MockResponse.Builder()
        .code(429)
        .setHeader("X-Ratelimit-Reset", clock.millis() + wait.toMillis())
        .build();
  }

  @Override
  protected List<MembershipChange> changesIn(RecordedRequest request, PartnerAudience audience) {
    List<MembershipChange> changes = new ArrayList<>();
    for (JsonNode member : json(request.getBody().utf8()).get("batch")) {
      if (member.get("cohortId").asText().equals(audience.id())) {
        changes.add(
            new MembershipChange(
                DomainFixtures.SEGMENT,
                member.get("value").asBoolean()
                    ? MembershipOperation.ADD
                    : MembershipOperation.REMOVE,
                List.of(new UserIdentifier.UserEmail(member.get("userId").asText(), null)),
                DomainFixtures.T0));
      }
    }
    return changes;
  }

  @Test
  void sendsTheSegmentAudiencesShapeWithTheRawTokenAndTheApiVersion() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);

    connector.deliver(
        destination(),
        audience,
        new MembershipBatch(
            "b",
            DomainFixtures.SEGMENT,
            List.of(DomainFixtures.add("jane"), DomainFixtures.remove("joe"))));

    RecordedRequest request = received.getFirst();
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/api/v2/segment-targets/segment-audiences");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("api-0000-secret");
    assertThat(request.getHeaders().get("LD-API-Version")).isEqualTo("20240415");
    assertThat(json(request.getBody().utf8()))
        .isEqualTo(
            json(
                """
                {"environmentId":"5f0c0ffee0000000000000a1","contextKind":"user","batch":[
                  {"userId":"jane","cohortId":"mics_84213","cohortName":"mics_84213","value":true},
                  {"userId":"joe","cohortId":"mics_84213","cohortName":"mics_84213","value":false}]}
                """));
  }

  @Test
  void onlyTheConfiguredContextKeyIsEligible() {
    Destination byAccount =
        DomainFixtures.destination(
            "flags", "launchdarkly", Map.of("access_token", "t", "environment_id", "e"));

    assertThat(connector.accepts(byAccount, new UserIdentifier.UserAccount("crm-1", "1"))).isTrue();
    assertThat(connector.accepts(byAccount, new UserIdentifier.UserPoint("u1"))).isFalse();
    assertThat(connector.accepts(destination(), DomainFixtures.email("h"))).isTrue();
  }

  @Test
  void aConflictIsRetried() {
    ready(DomainFixtures.SEGMENT);
    script(new MockResponse.Builder().code(409).build());

    var outcome =
        connector.deliver(
            destination(),
            ready(DomainFixtures.SEGMENT),
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"))));

    assertThat(outcome)
        .isEqualTo(
            new DeliveryOutcome.Retry(
                Duration.ofSeconds(1), "LaunchDarkly answered 409 (conflict)"));
  }

  @Test
  void settingsAreChecked() {
    assertThat(
            connector.checkSettings(
                DomainFixtures.destination("f", "launchdarkly", Map.of("context_key", "phone"))))
        .containsExactly(
            "access_token is required (a LaunchDarkly access token with the Writer role)",
            "environment_id is required (the environment's client-side ID)",
            "context_key must be one of USER_ACCOUNT, USER_POINT, USER_EMAIL, got 'PHONE'");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

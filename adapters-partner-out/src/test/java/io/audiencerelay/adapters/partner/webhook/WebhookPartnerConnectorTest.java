package io.audiencerelay.adapters.partner.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.client.HttpPartnerConnectorContract;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.RetryDelays;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class WebhookPartnerConnectorTest extends HttpPartnerConnectorContract {
  static final ObjectMapper MAPPER = new ObjectMapper();
  final WebhookPartnerConnector connector =
      new WebhookPartnerConnector(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(Clock.systemUTC()), "webhook"));

  @Override
  protected PartnerConnector connector() {
    return connector;
  }

  @Override
  protected Destination destination() {
    return DomainFixtures.destination(
        "hook",
        "webhook",
        Map.of("url", partner.url("/hooks/{feed_id}/{audience}").toString(), "secret", "s3cr3t"));
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    return new MockResponse.Builder().code(202).build();
  }

  @Override
  protected MockResponse throttled(Duration wait) {
    return new MockResponse.Builder().code(429).setHeader("Retry-After", wait.toSeconds()).build();
  }

  @Override
  protected List<MembershipChange> changesIn(RecordedRequest request, PartnerAudience audience) {
    JsonNode body = json(request.getBody().utf8());
    List<MembershipChange> changes = new ArrayList<>();
    if (!body.path("audience").asText().equals(audience.id())) {
      return changes;
    }
    for (JsonNode operation : body.get("operations")) {
      List<UserIdentifier> ids = new ArrayList<>();
      for (JsonNode id : operation.get("identifiers")) {
        ids.add(new UserIdentifier.UserEmail(id.get("value").asText(), null));
      }
      changes.add(
          new MembershipChange(
              DomainFixtures.SEGMENT,
              operation.get("op").asText().equals("add")
                  ? MembershipOperation.ADD
                  : MembershipOperation.REMOVE,
              ids,
              DomainFixtures.T0));
    }
    return changes;
  }

  @Test
  void theRequestCarriesTheFormatTheIdempotencyKeyAndAVerifiableSignature() throws Exception {
    PartnerAudience audience = ready(ExternalSegment.of("69 21", "84213", null));
    var batch =
        new MembershipBatch(
            "batch-7",
            ExternalSegment.of("69 21", "84213", null),
            List.of(
                new MembershipChange(
                    ExternalSegment.of("69 21", "84213", null),
                    MembershipOperation.REMOVE,
                    List.of(
                        new UserIdentifier.UserPoint("u1"),
                        new UserIdentifier.UserAccount("crm-1", "1")),
                    DomainFixtures.T0)));

    connector.deliver(destination(), audience, batch);

    RecordedRequest request = received.getFirst();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/hooks/69%2021/mics_84213");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("batch-7");
    assertThat(request.getHeaders().get("X-Relay-Format-Version")).isEqualTo("1");
    byte[] raw = request.getBody().toByteArray();
    assertThat(request.getHeaders().get("X-Relay-Signature"))
        .isEqualTo(WebhookPartnerConnector.signature("s3cr3t", raw));
    assertThat(new String(raw, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"audience\":\"mics_84213\",\"batch_id\":\"batch-7\",\"operations\":[{\"op\":\"remove\",\"identifiers\":"
                + "[{\"type\":\"USER_POINT\",\"value\":\"u1\"},{\"type\":\"USER_ACCOUNT\",\"value\":\"crm-1\"}]}]}");
  }

  @Test
  void theSignatureIsHmacSha256InHex() {
    // RFC 4231, test case 2.
    assertThat(
            WebhookPartnerConnector.signature(
                "Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void withoutASecretThereIsNoSignature() {
    var open =
        DomainFixtures.destination("hook", "webhook", Map.of("url", partner.url("/in").toString()));
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);

    connector.deliver(
        open,
        audience,
        new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"))));

    assertThat(received.getFirst().getHeaders().get("X-Relay-Signature")).isNull();
  }

  @Test
  void settingsAreChecked() {
    assertThat(connector.checkSettings(DomainFixtures.destination("h", "webhook", Map.of())))
        .containsExactly("url is required (where batches are POSTed)");
    assertThat(
            connector.checkSettings(
                DomainFixtures.destination("h", "webhook", Map.of("url", "ftp://x/{audience}"))))
        .containsExactly("url must be an http or https URL, got 'ftp://x/{audience}'");
    assertThat(
            connector.checkSettings(
                DomainFixtures.destination(
                    "h", "webhook", Map.of("url", "https://{feed_id}.hooks.example/in"))))
        .containsExactly(
            "url: {feed_id}, {audience} and {target} may only stand in the path or the query, not"
                + " in the host");
  }

  @Test
  void aUrlNamingTargetLetsEachFeedSetIt() {
    var plain = DomainFixtures.destination("h", "webhook", Map.of("url", "https://x/in"));
    var targeted =
        DomainFixtures.destination("h", "webhook", Map.of("url", "https://x/lists/{target}"));

    assertThat(connector.feedSettings(plain)).isEmpty();
    assertThat(connector.feedSettings(targeted))
        .singleElement()
        .satisfies(
            setting -> {
              assertThat(setting.key()).isEqualTo("target");
              assertThat(setting.required()).isTrue();
              assertThat(setting.readAt()).isEqualTo(FeedSetting.ReadAt.DELIVERY);
            });
  }

  @Test
  void aValueCanAddNeitherAPathSegmentNorAQueryParameterNorClimbThePath() {
    ExternalSegment tricky = ExternalSegment.of("a/b?c=d&e", "84213", null);
    ExternalSegment climbing = ExternalSegment.of("..", "84213", null);
    PartnerAudience audience = ready(tricky);

    connector.deliver(destination(), audience, batchOf(tricky));
    var refused = connector.deliver(destination(), audience, batchOf(climbing));

    assertThat(received.getLast().getUrl().encodedPath())
        .isEqualTo("/hooks/a%2Fb%3Fc%3Dd%26e/mics_84213");
    assertThat(received.getLast().getUrl().querySize()).isZero();
    assertThat(refused)
        .isEqualTo(
            new io.audiencerelay.domain.DeliveryOutcome.Rejected(
                "a feed id, audience id or target of '.' or '..' cannot stand in the webhook URL"));
  }

  @Test
  void aFeedsTargetFillsTheUrlEncodedAsOnePathSegment() {
    ExternalSegment segment = ExternalSegment.of("6921", "84213", null);
    var targeted =
        DomainFixtures.destination(
            "h", "webhook", Map.of("url", partner.url("/lists/{target}/in").toString()));

    connector.deliver(
        targeted.withSetting("target", "newsletter a/b"), ready(segment), batchOf(segment));

    assertThat(received.getLast().getUrl().encodedPath()).isEqualTo("/lists/newsletter%20a%2Fb/in");
  }

  private static MembershipBatch batchOf(ExternalSegment segment) {
    return new MembershipBatch(
        "batch-" + segment.feedId(),
        segment,
        List.of(
            new MembershipChange(
                segment,
                MembershipOperation.ADD,
                List.of(new UserIdentifier.UserPoint("u1")),
                DomainFixtures.T0)));
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

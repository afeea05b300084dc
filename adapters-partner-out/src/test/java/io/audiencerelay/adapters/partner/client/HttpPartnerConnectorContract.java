package io.audiencerelay.adapters.partner.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.contract.PartnerConnectorContract;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.PartnerAudience;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract kit for partners reached over HTTP: the partner is a MockWebServer that answers what
 * the partner answers; on top of the general contract, throttling must become a retry with the
 * partner's delay, server errors a retry, and refusals a rejection.
 */
public abstract class HttpPartnerConnectorContract extends PartnerConnectorContract {
  @StartStop public final MockWebServer partner = new MockWebServer();

  /** Another host, where a redirect would lead. */
  @StartStop public final MockWebServer elsewhere = new MockWebServer();

  /** Every request the partner received, in order. */
  protected final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

  private final ConcurrentLinkedDeque<MockResponse> scripted = new ConcurrentLinkedDeque<>();

  /** The partner's normal answer to a request. */
  protected abstract MockResponse answer(RecordedRequest request);

  /** How the partner says "slow down, wait this long". */
  protected abstract MockResponse throttled(Duration wait);

  /**
   * The changes a recorded delivery request carried for an audience, or none if it is another kind
   * of request.
   */
  protected abstract List<MembershipChange> changesIn(
      RecordedRequest request, PartnerAudience audience);

  @BeforeEach
  void answerLikeThePartner() {
    partner.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            received.add(request);
            MockResponse next = scripted.poll();
            return next != null ? next : answer(request);
          }
        });
  }

  /** The next answers, before the partner's normal ones. */
  protected void script(MockResponse... responses) {
    scripted.addAll(List.of(responses));
  }

  @Override
  protected List<MembershipChange> receivedBy(PartnerAudience audience) {
    List<MembershipChange> changes = new ArrayList<>();
    for (RecordedRequest request : received) {
      changes.addAll(changesIn(request, audience));
    }
    return changes;
  }

  private DeliveryOutcome deliverOne(PartnerAudience audience) {
    return connector()
        .deliver(
            destination(),
            audience,
            new MembershipBatch("b-1", DomainFixtures.SEGMENT, List.of(add("h1"))));
  }

  @Test
  void throttlingBecomesARetryWithThePartnersDelay() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(throttled(Duration.ofSeconds(42)));

    DeliveryOutcome outcome = deliverOne(audience);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(((DeliveryOutcome.Retry) outcome).after()).isEqualTo(Duration.ofSeconds(42));
  }

  @Test
  void aServerErrorIsRetriedAndAnUnreachablePartnerToo() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(new MockResponse.Builder().code(503).body("maintenance").build());

    assertThat(deliverOne(audience)).isInstanceOf(DeliveryOutcome.Retry.class);
  }

  @Test
  void aRedirectIsNeverFollowedSoNothingReachesAnotherHost() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(
        new MockResponse.Builder()
            .code(307)
            .addHeader("Location", elsewhere.url("/collect").toString())
            .build());

    DeliveryOutcome outcome = deliverOne(audience);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
    assertThat(((DeliveryOutcome.Rejected) outcome).reason()).contains("307", "not followed");
    assertThat(elsewhere.getRequestCount()).isZero();
  }

  @Test
  void anAnswerLargerThanTheCapIsARetryNotAnOutOfMemory() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(
        new MockResponse.Builder()
            .code(200)
            .body(new okio.Buffer().write(new byte[(int) PartnerHttp.MAX_ANSWER_BYTES + 1]))
            .build());

    DeliveryOutcome outcome = deliverOne(audience);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(((DeliveryOutcome.Retry) outcome).reason()).contains("more than 8388608 bytes");
  }

  @Test
  void aRefusalIsARejectionThatSaysWhy() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    script(new MockResponse.Builder().code(422).body("{\"error\":\"unknown audience\"}").build());

    DeliveryOutcome outcome = deliverOne(audience);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Rejected.class);
    assertThat(((DeliveryOutcome.Rejected) outcome).reason())
        .contains("422")
        .contains("unknown audience");
  }
}

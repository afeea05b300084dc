package io.audiencerelay.application.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.PartnerAudience;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The delivery service's batch ids (known answers) and how a delivery report sums up. */
class AudienceDeliveryServiceTest {
  final Relay relay = new Relay();

  @Test
  void aBatchIdIsTheVersion3UuidOfItsKey() {
    var route = relay.directory.byName(DomainFixtures.DEMO).orElseThrow();
    var audience = new PartnerAudience("aud-1", "Audience 1");

    // MD5 of "demo|aud-1|ADD1795428000000,USER_EMAIL=h1|REMOVE1795428000000,USER_EMAIL=h2" with
    // the version and variant bits set (Python's hashlib gives the same).
    assertThat(
            AudienceDeliveryService.batchId(
                route, audience, List.of(DomainFixtures.add("h1"), DomainFixtures.remove("h2"))))
        .isEqualTo("e6c268e1-672f-3432-a96a-fca45bbfe25c");
  }

  @Test
  void aLargeBatchHashedInChunksGetsTheIdOfItsWholeKey() {
    var route = relay.directory.byName(DomainFixtures.DEMO).orElseThrow();
    var audience = new PartnerAudience("aud-1", "Audience 1");
    List<MembershipChange> changes = new ArrayList<>();
    StringBuilder wholeKey = new StringBuilder("demo|aud-1");
    for (int i = 0; i < 5_000; i++) {
      // Characters outside Latin-1 and beyond the BMP: each chunk must encode as the whole would.
      String hash = "h" + i + (i % 7 == 0 ? "\u00e9\u4e2d\ud83d\ude00" : "");
      MembershipChange change = i % 5 == 0 ? DomainFixtures.remove(hash) : DomainFixtures.add(hash);
      changes.add(change);
      wholeKey
          .append('|')
          .append(change.operation())
          .append(DomainFixtures.T0.toEpochMilli())
          .append(",USER_EMAIL=")
          .append(hash);
    }

    assertThat(AudienceDeliveryService.batchId(route, audience, changes))
        .isEqualTo(
            UUID.nameUUIDFromBytes(wholeKey.toString().getBytes(StandardCharsets.UTF_8))
                .toString());
  }

  @Test
  void aReportSummarisesToItsWorstPartAndTheLongestDelay() {
    DeliveryOutcome ok = DeliveryOutcome.ok();
    var shortWait = new DeliveryOutcome.Retry(Duration.ofSeconds(1), "a");
    var longWait = new DeliveryOutcome.Retry(Duration.ofSeconds(9), "b");
    var refused = new DeliveryOutcome.Rejected("c");
    var deferred = new DeliveryOutcome.Deferred(Duration.ofSeconds(2), "d");

    assertThat(report(ok, shortWait).summary()).isEqualTo(shortWait);
    assertThat(report(shortWait, longWait).summary()).isEqualTo(longWait);
    assertThat(report(longWait, deferred).summary()).isEqualTo(longWait);
    assertThat(report(ok, deferred).summary()).isEqualTo(deferred);
    assertThat(report(ok, refused).summary())
        .isEqualTo(new DeliveryOutcome.PartlyRejected(List.of(1), "c"));
    assertThat(report(refused, refused).summary()).isEqualTo(refused);
    assertThat(report(refused, longWait).summary()).isEqualTo(longWait);
  }

  /** A report of one change per outcome, in order. */
  private static DeliveryReport report(DeliveryOutcome... outcomes) {
    List<DeliveryReport.Part> parts = new ArrayList<>();
    for (int i = 0; i < outcomes.length; i++) {
      parts.add(new DeliveryReport.Part(List.of(i), outcomes[i]));
    }
    return new DeliveryReport(parts);
  }
}

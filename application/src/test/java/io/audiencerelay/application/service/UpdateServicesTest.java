package io.audiencerelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.in.BatchUpdateCommand;
import io.audiencerelay.application.port.in.BatchUpdateResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.Visibility;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UpdateServicesTest {
  final Relay relay = new Relay();
  final UpdateUserSegmentService updates =
      new UpdateUserSegmentService(relay.routing, relay.queue, relay.clock);
  final BatchUpdateService batches =
      new BatchUpdateService(relay.routing, relay.queue, relay.clock);

  static UpdateUserSegmentCommand update(MembershipOperation operation, UserIdentifier... ids) {
    return new UpdateUserSegmentCommand(
        DomainFixtures.SEGMENT, operation, List.of(ids), null, null);
  }

  @Test
  void anAcceptedUpdateReachesThePartnerWithTheRelaysTimeWhenThePlatformGaveNone() {
    var result = updates.update(update(MembershipOperation.REMOVE, DomainFixtures.email("h1")));

    assertThat(result).isEqualTo(new UserSegmentUpdateResult.Accepted());
    MembershipBatch batch = relay.partner.delivered.getFirst();
    assertThat(batch.changes())
        .containsExactly(
            new MembershipChange(
                DomainFixtures.SEGMENT,
                MembershipOperation.REMOVE,
                List.of(DomainFixtures.email("h1")),
                DomainFixtures.T0));
  }

  @Test
  void onlyIdentifiersThePartnerAcceptsAreSent() {
    relay.partner.accepts = id -> id instanceof UserIdentifier.UserEmail;

    updates.update(
        update(
            MembershipOperation.ADD,
            new UserIdentifier.UserPoint("u1"),
            DomainFixtures.email("h1")));

    assertThat(relay.partner.delivered.getFirst().changes().getFirst().identifiers())
        .containsExactly(DomainFixtures.email("h1"));
  }

  @Test
  void anUpdateWithNoUsableIdentifierIsNotEligibleAndNotSent() {
    relay.partner.accepts = id -> id instanceof UserIdentifier.UserEmail;

    var result =
        updates.update(update(MembershipOperation.ADD, new UserIdentifier.UserPoint("u1")));

    assertThat(result)
        .isEqualTo(
            new UserSegmentUpdateResult.NoEligibleIdentifier(
                "None of the user's identifiers (USER_POINT) is usable by destination 'demo'"));
    assertThat(relay.partner.delivered).isEmpty();
    assertThat(updates.update(update(MembershipOperation.ADD)))
        .isEqualTo(
            new UserSegmentUpdateResult.NoEligibleIdentifier(
                "The update carries no user identifier"));
  }

  @Test
  void aThrottlingPartnerMakesTheUpdateARetryWithItsDelay() {
    relay.partner.deliveryAnswers.add(
        new DeliveryOutcome.Retry(Duration.ofSeconds(30), "rate limited"));

    assertThat(updates.update(update(MembershipOperation.ADD, DomainFixtures.email("h1"))))
        .isEqualTo(new UserSegmentUpdateResult.Retry(Duration.ofSeconds(30), "rate limited"));
  }

  @Test
  void aRefusingPartnerMakesTheUpdateAnError() {
    relay.partner.deliveryAnswers.add(new DeliveryOutcome.Rejected("invalid audience"));

    assertThat(updates.update(update(MembershipOperation.ADD, DomainFixtures.email("h1"))))
        .isEqualTo(
            new Failed(
                "Destination 'demo' rejected the update: invalid audience", Visibility.PRIVATE));
  }

  @Test
  void aBatchIsCutToThePartnersLimitAndCountsUnusableItems() {
    relay.partner.maxBatchSize = 2;
    relay.partner.accepts = id -> !id.value().equals("bad");
    List<BatchUpdateCommand.Item> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(
          new BatchUpdateCommand.Item(
              MembershipOperation.ADD, List.of(DomainFixtures.email("h" + i))));
    }
    items.add(
        new BatchUpdateCommand.Item(
            MembershipOperation.REMOVE, List.of(DomainFixtures.email("bad"))));
    Instant ts = Instant.parse("2024-06-16T01:08:20Z");

    var result = batches.update(new BatchUpdateCommand(DomainFixtures.SEGMENT, items, 1, ts));

    assertThat(result)
        .isEqualTo(
            new BatchUpdateResult.Sent(
                5,
                2,
                "2 item(s) had no identifier usable by destination 'demo' or could not be read"));
    assertThat(relay.partner.delivered).extracting(MembershipBatch::size).containsExactly(2, 2, 1);
    assertThat(relay.partner.delivered.getFirst().changes().getFirst().observedAt()).isEqualTo(ts);
  }

  @Test
  void aBatchWithNothingUsableIsAnErrorAndAThrottledOneARetry() {
    var nothing =
        batches.update(new BatchUpdateCommand(DomainFixtures.SEGMENT, List.of(), 3, null));
    assertThat(nothing).isInstanceOf(BatchUpdateResult.Error.class);
    assertThat(nothing.inError()).isEqualTo(3);

    relay.partner.deliveryAnswers.add(
        new DeliveryOutcome.Retry(Duration.ofMinutes(1), "throttled"));
    var throttled =
        batches.update(
            new BatchUpdateCommand(
                DomainFixtures.SEGMENT,
                List.of(
                    new BatchUpdateCommand.Item(
                        MembershipOperation.ADD, List.of(DomainFixtures.email("h")))),
                0,
                null));
    assertThat(throttled)
        .isEqualTo(new BatchUpdateResult.Retry(Duration.ofMinutes(1), 0, 1, "throttled"));
  }

  @Test
  void theSameChangesGetTheSameBatchIdSoARetryIsRecognisable() {
    updates.update(update(MembershipOperation.ADD, DomainFixtures.email("h1")));
    updates.update(update(MembershipOperation.ADD, DomainFixtures.email("h1")));
    updates.update(update(MembershipOperation.REMOVE, DomainFixtures.email("h1")));

    var ids = relay.partner.delivered.stream().map(MembershipBatch::id).toList();
    assertThat(ids.get(0)).isEqualTo(ids.get(1)).isNotEqualTo(ids.get(2));
  }

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

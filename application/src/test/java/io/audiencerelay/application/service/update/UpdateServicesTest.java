package io.audiencerelay.application.service.update;

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
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.Visibility;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  void anUnreadablePlatformIsARetryNotAnErrorAndIsReadAgainNextTime() {
    relay.gateway.failing = true;

    var update = updates.update(update(MembershipOperation.ADD, DomainFixtures.email("h1")));
    var batch =
        batches.update(
            new io.audiencerelay.application.port.in.BatchUpdateCommand(
                DomainFixtures.SEGMENT,
                List.of(
                    new io.audiencerelay.application.port.in.BatchUpdateCommand.Item(
                        MembershipOperation.ADD, List.of(DomainFixtures.email("h1")))),
                0,
                null));

    assertThat(update).isInstanceOf(UserSegmentUpdateResult.Retry.class);
    assertThat(((UserSegmentUpdateResult.Retry) update).after()).isEqualTo(Duration.ofSeconds(5));
    assertThat(batch)
        .isInstanceOf(io.audiencerelay.application.port.in.BatchUpdateResult.Retry.class);
    assertThat(relay.partner.delivered).isEmpty();

    relay.gateway.failing = false;
    assertThat(updates.update(update(MembershipOperation.ADD, DomainFixtures.email("h1"))))
        .isEqualTo(new UserSegmentUpdateResult.Accepted());
  }
}

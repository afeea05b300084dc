package io.audiencerelay.application.service.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExternalSourceServiceTest {
  static final DestinationName DEMO = new DestinationName("demo");
  final Relay relay = new Relay();
  final ExternalSourceService service =
      new ExternalSourceService(relay.directory, relay.queue, relay.mappings);

  static MembershipChange change(UserIdentifier... ids) {
    return new MembershipChange(
        DomainFixtures.SEGMENT, MembershipOperation.ADD, List.of(ids), DomainFixtures.T0);
  }

  @Test
  void changesWhoseIdentifiersAreAllUsableReachThePartnerAsGiven() {
    var changes =
        List.of(
            change(new UserIdentifier.ExternalUserId("MAPP_UUID", "u1")),
            change(
                new UserIdentifier.ExternalUserId("MAPP_EXTERNAL_USER_ID", "e2"),
                new UserIdentifier.ExternalUserId("MAPP_UUID", "u2")));

    assertThat(service.accept(DEMO, changes)).isEqualTo(new UserSegmentUpdateResult.Accepted());

    assertThat(relay.partner.delivered)
        .flatExtracting(MembershipBatch::changes)
        .containsExactlyElementsOf(changes);
  }

  @Test
  void onlyUsableIdentifiersAreKeptAndAChangeLeftWithNoneIsDropped() {
    relay.partner.accepts = id -> id.type().equals("MAPP_UUID");

    var result =
        service.accept(
            DEMO,
            List.of(
                change(
                    new UserIdentifier.ExternalUserId("MAPP_EXTERNAL_USER_ID", "e1"),
                    new UserIdentifier.ExternalUserId("MAPP_UUID", "u1")),
                change(new UserIdentifier.ExternalUserId("MAPP_EXTERNAL_USER_ID", "e2"))));

    assertThat(result).isEqualTo(new UserSegmentUpdateResult.Accepted());
    assertThat(relay.partner.delivered)
        .flatExtracting(MembershipBatch::changes)
        .containsExactly(change(new UserIdentifier.ExternalUserId("MAPP_UUID", "u1")));
  }

  @Test
  void nothingUsableIsNoEligibleIdentifierAndAnUnknownDestinationFails() {
    relay.partner.accepts = id -> false;

    assertThat(
            service.accept(
                DEMO, List.of(change(new UserIdentifier.ExternalUserId("MAPP_UUID", "u1")))))
        .isEqualTo(
            new UserSegmentUpdateResult.NoEligibleIdentifier(
                "No identifier usable by destination 'demo'"));
    assertThat(
            service.accept(
                new DestinationName("elsewhere"),
                List.of(change(new UserIdentifier.ExternalUserId("MAPP_UUID", "u1")))))
        .isInstanceOf(Failed.class);
    assertThat(relay.partner.delivered).isEmpty();
  }
}

package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PartnerConnector} must do. An adapter's test extends it, gives a connector and
 * a destination with valid settings, and says how to read back what reached the partner.
 */
public abstract class PartnerConnectorContract {

  protected abstract PartnerConnector connector();

  /** A destination of the connector's type whose settings are valid. */
  protected abstract Destination destination();

  /** Every change the partner holds for an audience, in arrival order. */
  protected abstract List<MembershipChange> receivedBy(PartnerAudience audience);

  /**
   * An identifier the partner can use for the named user; an e-mail hash unless the partner needs
   * another.
   */
  protected UserIdentifier identifierFor(String user) {
    return DomainFixtures.email(user);
  }

  /**
   * An identifier this partner cannot match; a device point by default (most partners ignore it).
   */
  protected UserIdentifier unusableIdentifier() {
    return new UserIdentifier.UserDevicePoint("dp-unusable");
  }

  protected MembershipChange add(String... users) {
    return change(MembershipOperation.ADD, users);
  }

  protected MembershipChange remove(String... users) {
    return change(MembershipOperation.REMOVE, users);
  }

  private MembershipChange change(MembershipOperation operation, String... users) {
    List<UserIdentifier> ids = new ArrayList<>();
    for (String user : users) {
      ids.add(identifierFor(user));
    }
    return new MembershipChange(DomainFixtures.SEGMENT, operation, ids, DomainFixtures.T0);
  }

  @Test
  void theDestinationsSettingsAreAccepted() {
    assertThat(connector().checkSettings(destination())).isEmpty();
    assertThat(destination().type()).isEqualTo(connector().type());
  }

  @Test
  void creatingTheSameAudienceTwiceGivesTheSameAudience() {
    var first = audienceOf(connector().createAudience(destination(), DomainFixtures.SEGMENT));
    var second = audienceOf(connector().createAudience(destination(), DomainFixtures.SEGMENT));

    assertThat(first).isEqualTo(second);
  }

  @Test
  void differentSegmentsGetDifferentAudiences() {
    var first = ready(DomainFixtures.SEGMENT);
    var other = ready(ExternalSegment.of("6921", "99999", "1509"));

    assertThat(first.id()).isNotEqualTo(other.id());
  }

  @Test
  void addsAndRemovesArriveInOrder() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    var changes = List.of(add("h1"), add("h2"), remove("h1"));

    var outcome =
        connector()
            .deliver(
                destination(),
                audience,
                new MembershipBatch("b-1", DomainFixtures.SEGMENT, changes));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    assertThat(receivedBy(audience)).containsExactlyElementsOf(changes);
  }

  @Test
  void oneUnusableUserNeverFailsItsBatch() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    MembershipChange unusable =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.ADD,
            List.of(unusableIdentifier()),
            DomainFixtures.T0);

    var outcome =
        connector()
            .deliver(
                destination(),
                audience,
                new MembershipBatch("b-3", DomainFixtures.SEGMENT, List.of(unusable, add("good"))));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    assertThat(receivedBy(audience)).contains(add("good"));
  }

  @Test
  void aBatchAsLargeAsThePartnerAllowsIsDelivered() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    int size = Math.min(connector().maxBatchSize(destination()), 2_000);
    List<MembershipChange> changes = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      changes.add(add("user-" + i));
    }

    var outcome =
        connector()
            .deliver(
                destination(),
                audience,
                new MembershipBatch("b-2", DomainFixtures.SEGMENT, changes));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    assertThat(receivedBy(audience)).hasSize(size);
  }

  /** The audience of a segment, created if needed; a new one may still be provisioning. */
  protected PartnerAudience ready(ExternalSegment segment) {
    return audienceOf(connector().createAudience(destination(), segment));
  }

  private static PartnerAudience audienceOf(AudienceOutcome outcome) {
    return switch (outcome) {
      case AudienceOutcome.Ready ready -> ready.audience();
      case AudienceOutcome.NotReadyYet notReady -> notReady.audience();
      default -> throw new AssertionError("no audience: " + outcome);
    };
  }
}

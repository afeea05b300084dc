package io.audiencerelay.adapters.partner.recording;

import io.audiencerelay.application.contract.PartnerConnectorContract;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.PartnerAudience;
import java.util.List;
import java.util.Map;

class RecordingPartnerConnectorTest extends PartnerConnectorContract {
  final RecordingPartnerConnector connector = new RecordingPartnerConnector();

  @Override
  protected PartnerConnector connector() {
    return connector;
  }

  @Override
  protected Destination destination() {
    return DomainFixtures.destination("memory", RecordingPartnerConnector.TYPE, Map.of());
  }

  @Override
  protected List<MembershipChange> receivedBy(PartnerAudience audience) {
    return connector.deliveries().stream()
        .filter(delivery -> delivery.audience().equals(audience))
        .flatMap(delivery -> delivery.batch().changes().stream())
        .toList();
  }
}

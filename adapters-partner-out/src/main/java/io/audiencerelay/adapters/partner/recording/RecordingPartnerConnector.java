package io.audiencerelay.adapters.partner.recording;

import io.audiencerelay.application.port.out.AudienceFacts;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every delivery in memory and accepts everything. For tests and dry runs: nothing leaves the
 * process, and {@code /v1/troubleshoot} shows what arrived.
 */
public final class RecordingPartnerConnector implements PartnerConnector {
  public static final String TYPE = "recording";

  /** One delivery as it reached the partner. */
  public record Delivery(
      DestinationName destination, PartnerAudience audience, MembershipBatch batch) {}

  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int maxBatchSize(Destination destination) {
    return 1_000;
  }

  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = segment.defaultAudienceName();
    return new AudienceOutcome.Ready(new PartnerAudience(segment.feedId() + "/" + name, name));
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    deliveries.add(new Delivery(destination.name(), audience, batch));
    return DeliveryOutcome.ok();
  }

  @Override
  public PartnerAnswer<AudienceFacts> describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    long adds = 0;
    long removes = 0;
    for (MembershipChange change : changes(destination.name())) {
      if (!change.segment().equals(segment)) {
        continue;
      }
      if (change.operation() == MembershipOperation.ADD) {
        adds++;
      } else {
        removes++;
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("recorded_adds", adds);
    data.put("recorded_removes", removes);
    return PartnerAnswer.given(new AudienceFacts("Recorded in memory", data));
  }

  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Every change delivered to a destination, in delivery order. */
  public List<MembershipChange> changes(DestinationName destination) {
    List<MembershipChange> changes = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      if (delivery.destination().equals(destination)) {
        changes.addAll(delivery.batch().changes());
      }
    }
    return changes;
  }
}

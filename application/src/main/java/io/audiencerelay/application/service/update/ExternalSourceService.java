package io.audiencerelay.application.service.update;

import io.audiencerelay.application.port.in.AcceptExternalChangesUseCase;
import io.audiencerelay.application.port.in.EnsureExternalAudienceUseCase;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.UserIdentifier;
import io.audiencerelay.domain.Visibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Audiences and changes pushed by platforms other than mediarithmics, for a destination named in
 * configuration.
 */
public final class ExternalSourceService
    implements AcceptExternalChangesUseCase, EnsureExternalAudienceUseCase {
  private final DestinationDirectory directory;
  private final DeliveryQueue queue;
  private final SegmentMappingStore mappings;

  public ExternalSourceService(
      DestinationDirectory directory, DeliveryQueue queue, SegmentMappingStore mappings) {
    this.directory = directory;
    this.queue = queue;
    this.mappings = mappings;
  }

  @Override
  public UserSegmentUpdateResult accept(
      DestinationName destination, List<MembershipChange> changes) {
    Optional<Route> found = directory.byName(destination);
    if (found.isEmpty()) {
      return new Failed("Destination '" + destination + "' is not configured");
    }
    Route route = found.get();
    List<MembershipChange> eligible = new ArrayList<>(changes.size());
    for (MembershipChange change : changes) {
      List<UserIdentifier> ids = route.eligible(change.identifiers());
      if (ids.size() == change.identifiers().size()) {
        eligible.add(change); // the usual case: every identifier is usable, nothing to copy
      } else if (!ids.isEmpty()) {
        eligible.add(
            new MembershipChange(change.segment(), change.operation(), ids, change.observedAt()));
      }
    }
    if (eligible.isEmpty()) {
      return new UserSegmentUpdateResult.NoEligibleIdentifier(
          "No identifier usable by destination '" + destination + "'");
    }
    return switch (queue.enqueue(destination, eligible)) {
      case EnqueueOutcome.Accepted accepted -> new UserSegmentUpdateResult.Accepted();
      case EnqueueOutcome.Retry retry ->
          new UserSegmentUpdateResult.Retry(retry.after(), retry.reason());
      case EnqueueOutcome.Rejected rejected ->
          new Failed(
              "Destination '" + destination + "' rejected the changes: " + rejected.reason());
    };
  }

  @Override
  public SegmentCreationResult ensure(DestinationName destination, ExternalSegment segment) {
    Optional<Route> found = directory.byName(destination);
    if (found.isEmpty()) {
      return new Failed("Destination '" + destination + "' is not configured", Visibility.PUBLIC);
    }
    Route route = found.get();
    return switch (route.connector().createAudience(route.destination(), segment)) {
      case AudienceOutcome.Ready ready -> {
        mappings.save(destination, segment, ready.audience());
        yield new SegmentCreationResult.Created(ready.audience().id(), Visibility.PUBLIC);
      }
      case AudienceOutcome.NotReadyYet notReady -> {
        mappings.save(destination, segment, notReady.audience());
        yield new SegmentCreationResult.Created(notReady.audience().id(), Visibility.PUBLIC);
      }
      case AudienceOutcome.Retry retry ->
          new Failed(
              "Destination unavailable, try again later: " + retry.reason(), Visibility.PUBLIC);
      case AudienceOutcome.Missing missing -> new Failed(missing.reason(), Visibility.PUBLIC);
      case AudienceOutcome.Rejected rejected -> new Failed(rejected.reason(), Visibility.PUBLIC);
    };
  }
}

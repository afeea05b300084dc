package io.audiencerelay.application.service.update;

import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UpdateUserSegmentsUseCase;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedRouting.Resolution;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accepts many updates in one go: each is routed and filtered as a single update would be, then
 * every destination's changes are queued in one write. The answer for each update says whether it
 * was taken.
 */
public final class UpdateUserSegmentsService implements UpdateUserSegmentsUseCase {
  private final FeedRouting routing;
  private final DeliveryQueue queue;
  private final Clock clock;

  public UpdateUserSegmentsService(FeedRouting routing, DeliveryQueue queue, Clock clock) {
    this.routing = routing;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public List<UserSegmentUpdateResult> update(List<UpdateUserSegmentCommand> commands) {
    UserSegmentUpdateResult[] results = new UserSegmentUpdateResult[commands.size()];
    Map<DestinationName, List<MembershipChange>> changes = new LinkedHashMap<>();
    Map<DestinationName, List<Integer>> positions = new LinkedHashMap<>();
    for (int i = 0; i < commands.size(); i++) {
      UpdateUserSegmentCommand command = commands.get(i);
      switch (routing.forFeed(command.segment().feedId(), command.feedDestinationId())) {
        case Resolution.Unresolved unresolved -> results[i] = unresolved.failure();
        case Resolution.PlatformDown down ->
            results[i] =
                new UserSegmentUpdateResult.Retry(
                    Resolution.PlatformDown.RETRY_AFTER, down.retryMessage());
        case Resolution.Resolved resolved -> {
          var route = resolved.route();
          List<UserIdentifier> eligible = route.eligible(command.identifiers());
          if (eligible.isEmpty()) {
            results[i] =
                new UserSegmentUpdateResult.NoEligibleIdentifier(
                    "No identifier usable by destination '" + route.destination().name() + "'");
          } else {
            DestinationName name = route.destination().name();
            changes
                .computeIfAbsent(name, n -> new ArrayList<>())
                .add(
                    new MembershipChange(
                        command.segment(),
                        command.operation(),
                        eligible,
                        command.observedAt() != null ? command.observedAt() : clock.instant()));
            positions.computeIfAbsent(name, n -> new ArrayList<>()).add(i);
          }
        }
      }
    }
    changes.forEach(
        (destination, group) -> {
          UserSegmentUpdateResult result =
              switch (queue.enqueue(destination, group)) {
                case EnqueueOutcome.Accepted accepted -> new UserSegmentUpdateResult.Accepted();
                case EnqueueOutcome.Retry retry ->
                    new UserSegmentUpdateResult.Retry(retry.after(), retry.reason());
                case EnqueueOutcome.Rejected rejected ->
                    new Failed(
                        "Destination '"
                            + destination
                            + "' rejected the update: "
                            + rejected.reason());
              };
          positions.get(destination).forEach(position -> results[position] = result);
        });
    return Arrays.asList(results);
  }
}

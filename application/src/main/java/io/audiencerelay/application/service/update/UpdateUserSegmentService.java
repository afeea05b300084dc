package io.audiencerelay.application.service.update;

import io.audiencerelay.application.port.in.FeedUpdateResult;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UpdateUserSegmentUseCase;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedRouting.Resolution;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Clock;
import java.util.List;

/**
 * Accepts one user entering or leaving a segment: routes it, keeps the identifiers its partner can
 * use, queues it; or, for a destination run as a batched feed, hands it back for the platform to
 * batch.
 */
public final class UpdateUserSegmentService implements UpdateUserSegmentUseCase {
  private final FeedRouting routing;
  private final DeliveryQueue queue;
  private final Clock clock;

  public UpdateUserSegmentService(FeedRouting routing, DeliveryQueue queue, Clock clock) {
    this.routing = routing;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public FeedUpdateResult update(UpdateUserSegmentCommand command) {
    return switch (routing.forFeed(command.segment().feedId(), command.feedDestinationId())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.PlatformDown down ->
          new UserSegmentUpdateResult.Retry(
              Resolution.PlatformDown.RETRY_AFTER, down.retryMessage());
      case Resolution.Resolved resolved -> {
        var route = resolved.route();
        List<UserIdentifier> eligible = route.eligible(command.identifiers());
        if (eligible.isEmpty()) {
          yield new UserSegmentUpdateResult.NoEligibleIdentifier(
              command.identifiers().isEmpty()
                  ? "The update carries no user identifier"
                  : "None of the user's identifiers ("
                      + String.join(
                          ", ",
                          command.identifiers().stream()
                              .map(UserIdentifier::type)
                              .distinct()
                              .toList())
                      + ") is usable by destination '"
                      + route.destination().name()
                      + "'");
        }
        if (route.destination().batchedFeed()) {
          yield new FeedUpdateResult.ForBatch(command.operation(), eligible);
        }
        var change =
            new MembershipChange(
                command.segment(),
                command.operation(),
                eligible,
                command.observedAt() != null ? command.observedAt() : clock.instant());
        yield switch (queue.enqueue(route.destination().name(), List.of(change))) {
          case EnqueueOutcome.Accepted accepted -> new UserSegmentUpdateResult.Accepted();
          case EnqueueOutcome.Retry retry ->
              new UserSegmentUpdateResult.Retry(retry.after(), retry.reason());
          case EnqueueOutcome.Rejected rejected ->
              new io.audiencerelay.application.port.in.Failed(
                  "Destination '"
                      + route.destination().name()
                      + "' rejected the update: "
                      + rejected.reason());
        };
      }
    };
  }
}

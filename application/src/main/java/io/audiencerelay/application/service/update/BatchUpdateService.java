package io.audiencerelay.application.service.update;

import io.audiencerelay.application.port.in.BatchUpdateCommand;
import io.audiencerelay.application.port.in.BatchUpdateResult;
import io.audiencerelay.application.port.in.BatchUpdateUseCase;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedRouting.Resolution;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts a batch: every item with a usable identifier is queued in one unit; unusable items are
 * counted, never allowed to fail the rest.
 */
public final class BatchUpdateService implements BatchUpdateUseCase {
  private final FeedRouting routing;
  private final DeliveryQueue queue;
  private final Clock clock;

  public BatchUpdateService(FeedRouting routing, DeliveryQueue queue, Clock clock) {
    this.routing = routing;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public BatchUpdateResult update(BatchUpdateCommand command) {
    int total = command.items().size() + command.unreadableItems();
    return switch (routing.forFeed(command.segment().feedId())) {
      case Resolution.Unresolved unresolved ->
          new BatchUpdateResult.Error(0, total, unresolved.failure().message());
      case Resolution.PlatformDown down ->
          new BatchUpdateResult.Retry(
              Resolution.PlatformDown.RETRY_AFTER, 0, total, down.retryMessage());
      case Resolution.Resolved resolved -> {
        var route = resolved.route();
        var observedAt = command.observedAt() != null ? command.observedAt() : clock.instant();
        List<MembershipChange> changes = new ArrayList<>(command.items().size());
        for (BatchUpdateCommand.Item item : command.items()) {
          List<UserIdentifier> eligible = route.eligible(item.identifiers());
          if (!eligible.isEmpty()) {
            changes.add(
                new MembershipChange(command.segment(), item.operation(), eligible, observedAt));
          }
        }
        int inError = total - changes.size();
        String errorNote =
            inError == 0
                ? null
                : inError
                    + " item(s) had no identifier usable by destination '"
                    + route.destination().name()
                    + "' or could not be read";
        if (changes.isEmpty()) {
          yield new BatchUpdateResult.Error(0, inError, errorNote);
        }
        yield switch (queue.enqueue(route.destination().name(), changes)) {
          case EnqueueOutcome.Accepted accepted ->
              new BatchUpdateResult.Sent(changes.size(), inError, errorNote);
          case EnqueueOutcome.Retry retry ->
              new BatchUpdateResult.Retry(retry.after(), 0, total, retry.reason());
          case EnqueueOutcome.Rejected rejected ->
              new BatchUpdateResult.Error(
                  0,
                  total,
                  "Destination '"
                      + route.destination().name()
                      + "' rejected the batch: "
                      + rejected.reason());
        };
      }
    };
  }
}

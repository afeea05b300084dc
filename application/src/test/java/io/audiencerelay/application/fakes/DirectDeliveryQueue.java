package io.audiencerelay.application.fakes;

import io.audiencerelay.application.delivery.AudienceDeliveryService;
import io.audiencerelay.application.delivery.DeliveryWorker;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.util.List;

/**
 * A queue of length zero: delivers each enqueue to the partner before answering, so the platform's
 * own retry covers a partner failure. For service tests, which need no durable queue.
 */
public final class DirectDeliveryQueue implements DeliveryQueue {
  private final AudienceDeliveryService delivery;

  public DirectDeliveryQueue(AudienceDeliveryService delivery) {
    this.delivery = delivery;
  }

  @Override
  public EnqueueOutcome enqueue(DestinationName destination, List<MembershipChange> changes) {
    return switch (delivery.deliver(destination, changes)) {
      case DeliveryOutcome.Ok ok -> new EnqueueOutcome.Accepted();
      // Delivered, bar the items the partner refused for good: sending them again would not change
      // that.
      case DeliveryOutcome.PartlyRejected partly -> new EnqueueOutcome.Accepted();
      case DeliveryOutcome.Retry retry -> new EnqueueOutcome.Retry(retry.after(), retry.reason());
      // Nothing holds the change here: the platform must send it again after the login.
      case DeliveryOutcome.AwaitingAuthentication awaiting ->
          new EnqueueOutcome.Retry(DeliveryWorker.AUTHENTICATION_RECHECK, awaiting.reason());
      case DeliveryOutcome.Rejected rejected -> new EnqueueOutcome.Rejected(rejected.reason());
      case DeliveryOutcome.Deferred deferred ->
          new EnqueueOutcome.Retry(deferred.after(), deferred.reason());
    };
  }
}

package io.audiencerelay.application.delivery;

import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Require;
import java.util.ArrayList;
import java.util.List;

/**
 * What became of each change given to {@link AudienceDeliveryService#deliverEach}, by position: a
 * delivery may take several partner calls (one per segment, per slice, per half of a refused batch
 * being split), and each settles its own changes.
 *
 * @param parts disjoint; together they cover every position given
 */
public record DeliveryReport(List<Part> parts) {
  public DeliveryReport {
    parts = List.copyOf(Require.present(parts, "parts"));
  }

  /**
   * Some changes, by position, and what became of them: never {@link
   * DeliveryOutcome.PartlyRejected}, which a report holds as a delivered part and a refused one.
   */
  public record Part(List<Integer> positions, DeliveryOutcome outcome) {
    public Part {
      positions = List.copyOf(Require.present(positions, "positions"));
      Require.present(outcome, "outcome");
      if (outcome instanceof DeliveryOutcome.PartlyRejected) {
        throw new IllegalArgumentException("a part is delivered or refused, not both");
      }
    }
  }

  /**
   * One outcome for the whole delivery, the worst of the parts: a refusal of every change over an
   * awaited login over a retry (the longest delay) over a deferral over a partial refusal over
   * success.
   */
  public DeliveryOutcome summary() {
    List<Integer> refused = new ArrayList<>();
    String refusal = null;
    DeliveryOutcome worst = DeliveryOutcome.ok();
    int total = 0;
    for (Part part : parts) {
      total += part.positions().size();
      switch (part.outcome()) {
        case DeliveryOutcome.Rejected rejected -> {
          refused.addAll(part.positions());
          refusal = refusal == null ? rejected.reason() : refusal;
        }
        case DeliveryOutcome.AwaitingAuthentication awaiting -> worst = awaiting;
        case DeliveryOutcome.Retry retry -> {
          if (!(worst instanceof DeliveryOutcome.AwaitingAuthentication)
              && !(worst instanceof DeliveryOutcome.Retry longer
                  && longer.after().compareTo(retry.after()) >= 0)) {
            worst = retry;
          }
        }
        case DeliveryOutcome.Deferred deferred -> {
          if (worst instanceof DeliveryOutcome.Ok) {
            worst = deferred;
          }
        }
        default -> {}
      }
    }
    if (!refused.isEmpty() && refused.size() == total) {
      return new DeliveryOutcome.Rejected(refusal);
    }
    if (!(worst instanceof DeliveryOutcome.Ok)) {
      return worst;
    }
    return refused.isEmpty() ? worst : new DeliveryOutcome.PartlyRejected(refused, refusal);
  }
}

package io.audiencerelay.application.service.admin;

import io.audiencerelay.application.delivery.DestinationPauses;
import io.audiencerelay.application.port.in.admin.DestinationStatus;
import io.audiencerelay.application.port.in.admin.DestinationStatus.State;
import io.audiencerelay.application.port.in.admin.ListDestinationsUseCase;
import io.audiencerelay.application.port.out.DeadLetterStore;
import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.DestinationBacklog;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.domain.DestinationName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every destination's health: the queue's view, the workers' reports, the operator's pauses. */
public final class DestinationHealthService implements ListDestinationsUseCase {
  /**
   * Changes waiting this long with no delivery in {@link DestinationStatus#RECENT} make a
   * destination stuck, even when no call failed (a worker that stopped, a wrong rate limit).
   */
  static final Duration STALLED = Duration.ofMinutes(5);

  private final DestinationDirectory directory;
  private final DeliveryBacklog backlog;
  private final DeadLetterStore deadLetters;
  private final DestinationPauses pauses;
  private final DeliveryActivity activity;
  private final Clock clock;

  public DestinationHealthService(
      DestinationDirectory directory,
      DeliveryBacklog backlog,
      DeadLetterStore deadLetters,
      DestinationPauses pauses,
      DeliveryActivity activity,
      Clock clock) {
    this.directory = directory;
    this.backlog = backlog;
    this.deadLetters = deadLetters;
    this.pauses = pauses;
    this.activity = activity;
    this.clock = clock;
  }

  @Override
  public List<DestinationStatus> destinations() {
    Instant now = clock.instant();
    Map<DestinationName, DestinationBacklog> queued = new HashMap<>();
    for (DestinationBacklog entry : backlog.backlog(now)) {
      queued.put(entry.destination(), entry);
    }
    List<DestinationStatus> statuses = new ArrayList<>();
    for (var route : directory.all()) {
      DestinationName name = route.destination().name();
      DestinationBacklog queue = queued.get(name);
      long depth = queue == null ? 0 : queue.depth();
      Duration oldest =
          queue == null || queue.oldestEnqueuedAt() == null
              ? null
              : Duration.between(queue.oldestEnqueuedAt(), now);
      var recent = activity.summary(name, DestinationStatus.RECENT);
      Duration median = recent.percentile(0.5);
      var problem = activity.lastProblem(name);
      boolean recovered = activity.recoveredSinceProblem(name);
      var pause = pauses.pauseOf(name);
      Instant waitingUntil = null;
      State state;
      if (pause.isPresent()) {
        state = State.PAUSED;
      } else if (problem.isPresent()
          && !recovered
          && depth > 0
          && problem.get().waitUntil().isAfter(now)) {
        state = problem.get().needsLogin() ? State.AWAITING_AUTHENTICATION : State.BACKING_OFF;
        waitingUntil = problem.get().waitUntil();
      } else if (depth > 0
          || recent.lastDeliveredAt() != null
              && recent.lastDeliveredAt().isAfter(now.minus(Duration.ofMinutes(1)))) {
        state = State.DELIVERING;
      } else {
        state = State.IDLE;
      }
      boolean stalled =
          depth > 0 && oldest != null && oldest.compareTo(STALLED) > 0 && recent.delivered() == 0;
      boolean stuck =
          state == State.BACKING_OFF || state == State.AWAITING_AUTHENTICATION || stalled;
      String lastError = problem.map(DeliveryActivity.Problem::error).orElse(null);
      if (lastError == null && queue != null) {
        lastError = queue.lastError();
      }
      statuses.add(
          new DestinationStatus(
              name,
              route.destination().type(),
              state,
              waitingUntil,
              stuck,
              depth,
              oldest,
              recent.delivered() / (double) DestinationStatus.RECENT.toMinutes(),
              median == null
                  ? null
                  : new DestinationStatus.Latency(
                      median, recent.percentile(0.95), recent.percentile(0.99)),
              lastError,
              problem.map(DeliveryActivity.Problem::at).orElse(null),
              deadLetters.count(DeadLetterQuery.of(name)),
              pause.map(p -> p.by()).orElse(null),
              pause.map(p -> p.at()).orElse(null),
              activity.history(name, Duration.ofMinutes(1)).stream()
                  .map(
                      step ->
                          new DestinationStatus.Point(
                              step.from(),
                              step.depth(),
                              step.delivered(),
                              step.failed(),
                              step.latencyP95()))
                  .toList()));
    }
    return statuses;
  }
}

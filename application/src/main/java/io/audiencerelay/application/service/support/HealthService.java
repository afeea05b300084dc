package io.audiencerelay.application.service.support;

import io.audiencerelay.application.delivery.DeliveryScheduler;
import io.audiencerelay.application.port.in.CheckHealthUseCase;
import io.audiencerelay.application.port.out.DeliveryQueue;
import java.util.ArrayList;
import java.util.List;

/** The relay serves while its queue and its delivery threads run. */
public final class HealthService implements CheckHealthUseCase {
  private final DeliveryQueue queue;
  private final DeliveryScheduler scheduler;

  public HealthService(DeliveryQueue queue, DeliveryScheduler scheduler) {
    this.queue = queue;
    this.scheduler = scheduler;
  }

  @Override
  public Health check() {
    List<String> problems = new ArrayList<>(queue.stoppedParts());
    problems.addAll(scheduler.stoppedParts());
    return problems.isEmpty() ? new Health.Serving() : new Health.Failing(problems);
  }
}

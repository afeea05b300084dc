package io.audiencerelay.bootstrap.observability;

import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.service.admin.DeliveryActivity;
import io.audiencerelay.domain.DestinationName;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples every destination's queue depth into the console's hour of history, every {@link #EVERY}:
 * one read of the queue's counts, whatever the number of destinations.
 */
public final class DepthSampler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DepthSampler.class.getName());
  static final Duration EVERY = Duration.ofSeconds(10);

  private final DeliveryBacklog backlog;
  private final DeliveryActivity activity;
  private final List<DestinationName> destinations;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "relay-depth-sampler");
            thread.setDaemon(true);
            return thread;
          });

  public DepthSampler(
      DeliveryBacklog backlog,
      DeliveryActivity activity,
      List<DestinationName> destinations,
      Clock clock) {
    this.backlog = backlog;
    this.activity = activity;
    this.destinations = List.copyOf(destinations);
    this.clock = clock;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  void sample() {
    try {
      Map<DestinationName, Long> depths = new HashMap<>();
      for (var entry : backlog.backlog(clock.instant())) {
        depths.put(entry.destination(), entry.depth());
      }
      for (DestinationName destination : destinations) {
        activity.depth(destination, depths.getOrDefault(destination, 0L));
      }
    } catch (RuntimeException e) {
      // A gap in the chart, not a stopped relay.
      LOG.log(Level.FINE, "could not sample queue depths", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

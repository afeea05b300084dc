package io.audiencerelay.bootstrap.observability;

import io.audiencerelay.adapters.http.in.HttpObserver;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.DestinationBacklog;
import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay's metrics, in Prometheus format at {@code /metrics}: queue depth and oldest age per
 * destination, deliveries and partner calls by outcome, delivery latency, dead letters, and HTTP
 * requests by route and status.
 */
public final class RelayMetrics implements DeliveryMetrics, HttpObserver {
  private static final Logger LOG = Logger.getLogger(RelayMetrics.class.getName());

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DeliveryBacklog backlog;
  private final Clock clock;
  private final Map<DestinationName, DestinationBacklog> latest = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<DestinationName, Timer> latencyTimers = new ConcurrentHashMap<>();
  private final Map<HttpKey, Timer> httpTimers = new ConcurrentHashMap<>();

  /**
   * The labels of one inbound request; route strings are the adapter's constants, so hashing them
   * is cheap.
   */
  private record HttpKey(String method, String route, int status) {}

  /** How long before a partner consent ends for good the warning gauge counts it. */
  public static final java.time.Duration CONSENT_WARNING = java.time.Duration.ofDays(30);

  /**
   * Publishes {@code relay_oauth_consents_ending}: grants whose consent ends within {@link
   * #CONSENT_WARNING}. Alert on it above zero: their users must log in again before then.
   */
  public void watchConsents(java.util.function.IntSupplier endingSoon) {
    Gauge.builder("relay.oauth.consents.ending", endingSoon::getAsInt)
        .description(
            "Partner grants whose consent ends within 30 days; their users must log in again")
        .register(registry);
  }

  public RelayMetrics(Collection<Destination> destinations, DeliveryBacklog backlog, Clock clock) {
    this.backlog = backlog;
    this.clock = clock;
    for (Destination destination : destinations) {
      DestinationName name = destination.name();
      Gauge.builder("relay.queue.depth", () -> depthOf(name))
          .description("Changes waiting for delivery")
          .tag("destination", name.value())
          .register(registry);
      Gauge.builder("relay.queue.oldest.age", () -> oldestAgeSeconds(name))
          .description("Age in seconds of the oldest change waiting for delivery")
          .baseUnit("seconds")
          .tag("destination", name.value())
          .register(registry);
    }
  }

  /**
   * Reads the queue's depth per destination from the store (also correcting the store's own
   * counters).
   */
  public void refresh() {
    try {
      Map<DestinationName, DestinationBacklog> fresh = new ConcurrentHashMap<>();
      backlog.backlog(clock.instant()).forEach(b -> fresh.put(b.destination(), b));
      latest.keySet().retainAll(fresh.keySet());
      latest.putAll(fresh);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, e, () -> "could not read the queue's depth");
    }
  }

  @Override
  public void delivery(DestinationName destination, String outcome, int items) {
    counter("relay.deliveries", destination, outcome).increment(items);
    counter("relay.delivery.attempts", destination, outcome).increment();
  }

  @Override
  public void deliveryLatency(DestinationName destination, Duration waited) {
    // Called once per delivered change: looked up by the name itself, with no key to build.
    latencyTimers
        .computeIfAbsent(
            destination,
            k ->
                Timer.builder("relay.delivery.latency")
                    .description("Time from acceptance to delivery")
                    .tag("destination", destination.value())
                    .publishPercentileHistogram()
                    .register(registry))
        .record(waited);
  }

  @Override
  public void deadLettered(DestinationName destination, int items) {
    counters
        .computeIfAbsent(
            "dead|" + destination,
            k ->
                Counter.builder("relay.dead.letters")
                    .description("Changes that gave up and went to the dead-letter table")
                    .tag("destination", destination.value())
                    .register(registry))
        .increment(items);
  }

  @Override
  public void request(String method, String route, int status, long nanos) {
    httpTimers
        .computeIfAbsent(
            new HttpKey(method, route, status),
            k ->
                Timer.builder("relay.http.requests")
                    .description("Inbound HTTP requests")
                    .tags("method", method, "route", route, "status", Integer.toString(status))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public String scrape() {
    refresh();
    return registry.scrape();
  }

  private Counter counter(String name, DestinationName destination, String outcome) {
    return counters.computeIfAbsent(
        name + "|" + destination + "|" + outcome,
        k ->
            Counter.builder(name)
                .tags("destination", destination.value(), "outcome", outcome)
                .register(registry));
  }

  private double depthOf(DestinationName destination) {
    DestinationBacklog b = latest.get(destination);
    return b == null ? 0 : b.depth();
  }

  private double oldestAgeSeconds(DestinationName destination) {
    DestinationBacklog b = latest.get(destination);
    return b == null
        ? 0
        : Math.max(
            0, Duration.between(b.oldestEnqueuedAt(), Instant.now(clock)).toMillis() / 1000.0);
  }
}

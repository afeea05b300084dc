package io.audiencerelay.application.delivery;

import io.audiencerelay.application.logging.FailureStreak;
import io.audiencerelay.domain.DestinationName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs each destination's {@link DeliveryWorker} on its own threads (as many as the destination's
 * concurrency), waking a worker early when new changes arrive for it. Stopping lets in-flight
 * partner calls finish within a bound.
 */
public final class DeliveryScheduler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DeliveryScheduler.class.getName());
  private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

  private static final class Lane {
    final DeliveryWorker worker;
    final int concurrency;
    final ReentrantLock lock = new ReentrantLock();
    final Condition wake = lock.newCondition();
    // True while the workers sleep because nothing was due; only then is a wake worth its lock and
    // signal.
    volatile boolean idle;
    // A store that is away fails every cycle until it is back: a few lines, not one a second.
    final FailureStreak cycleFailures;

    Lane(DeliveryWorker worker, int concurrency, Clock clock) {
      this.worker = worker;
      this.concurrency = concurrency;
      this.cycleFailures = FailureStreak.perMinute(LOG, Level.WARNING, clock);
    }

    DeliveryWorker worker() {
      return worker;
    }

    int concurrency() {
      return concurrency;
    }

    ReentrantLock lock() {
      return lock;
    }

    Condition wake() {
      return wake;
    }
  }

  private final Clock clock;
  private final Map<DestinationName, Lane> lanes = new ConcurrentHashMap<>();
  private final Map<String, String> stopped = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  public DeliveryScheduler(Clock clock) {
    this.clock = clock;
  }

  /** Adds a destination's worker; call before {@link #start()}. */
  public void add(DeliveryWorker worker, int concurrency) {
    lanes.put(worker.destination(), new Lane(worker, concurrency, clock));
  }

  public synchronized void start() {
    running = true;
    for (Lane lane : lanes.values()) {
      for (int i = 0; i < lane.concurrency(); i++) {
        threads.add(
            Thread.ofPlatform()
                .name("relay-delivery-" + lane.worker().destination() + "-" + i)
                .daemon(true)
                .start(() -> guarded(lane)));
      }
    }
  }

  /**
   * New changes arrived for a destination: its workers look now rather than at their next planned
   * time.
   */
  public void wake(DestinationName destination) {
    Lane lane = lanes.get(destination);
    if (lane != null) {
      lane.lock().lock();
      try {
        lane.wake().signalAll();
      } finally {
        lane.lock().unlock();
      }
    }
  }

  /**
   * The delivery threads that died, each with why: an error no cycle could handle (the process is
   * then restarted by its supervisor: nothing accepted is lost).
   */
  public List<String> stoppedParts() {
    return stopped.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
  }

  private void guarded(Lane lane) {
    try {
      loop(lane);
    } catch (Throwable fatal) {
      stopped.put(
          "delivery thread " + Thread.currentThread().getName(),
          fatal.getClass().getSimpleName()
              + (fatal.getMessage() == null ? "" : ": " + fatal.getMessage()));
      throw fatal;
    }
  }

  private void loop(Lane lane) {
    while (running) {
      Instant next;
      try {
        next = lane.worker().runOnce();
        lane.idle = lane.worker().lastCycleFoundNothing();
        lane.cycleFailures.succeeded(
            () -> "delivery cycles for '" + lane.worker().destination() + "' run");
      } catch (RuntimeException e) {
        // The store or the partner failed in a way the worker did not map; nothing is lost (leases
        // expire).
        lane.cycleFailures.failed(
            e, () -> "delivery cycle for '" + lane.worker().destination() + "' failed");
        next = clock.instant().plus(AFTER_FAILURE);
      }
      long waitNanos = Duration.between(clock.instant(), next).toNanos();
      if (waitNanos > 0 && running) {
        lane.lock().lock();
        try {
          lane.wake().awaitNanos(waitNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          lane.lock().unlock();
        }
      }
    }
  }

  /** Stops the workers after their current cycle, waiting at most {@code grace} for them. */
  public void stop(Duration grace) {
    running = false;
    for (Lane lane : lanes.values()) {
      lane.lock().lock();
      try {
        lane.wake().signalAll();
      } finally {
        lane.lock().unlock();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}

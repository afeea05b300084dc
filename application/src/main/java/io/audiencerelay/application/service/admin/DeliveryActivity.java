package io.audiencerelay.application.service.admin;

import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.domain.DestinationName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last hour of each destination's deliveries, in memory, from what the workers report: changes
 * delivered and failed, how long delivered changes waited (a histogram), the queue depth sampled
 * now and then, and the last problem. Kept in {@link #SLOT}-long slots, so a busy destination costs
 * the same as a quiet one; a relay restarted starts a new hour.
 */
public final class DeliveryActivity implements DeliveryMetrics {
  /** One slot of the ring. */
  static final Duration SLOT = Duration.ofSeconds(10);

  /** How far back the ring goes. */
  static final Duration KEPT = Duration.ofHours(1);

  static final int SLOTS = (int) (KEPT.toMillis() / SLOT.toMillis());

  /**
   * Upper bounds of the latency histogram, in milliseconds: from a millisecond to a day, about
   * three per decade, so a percentile is known within a factor of about two.
   */
  static final long[] BOUNDS_MS = {
    1,
    2,
    5,
    10,
    20,
    50,
    100,
    200,
    500,
    1_000,
    2_000,
    5_000,
    10_000,
    20_000,
    60_000,
    120_000,
    300_000,
    600_000,
    1_800_000,
    3_600_000,
    7_200_000,
    21_600_000,
    86_400_000,
    Long.MAX_VALUE
  };

  /** The last problem a destination reported. */
  public record Problem(String error, Instant at, Instant waitUntil, boolean needsLogin) {}

  /** A window of slots summed up. */
  public record Summary(long delivered, long failed, long[] histogram, Instant lastDeliveredAt) {
    /** The upper bound of the bucket the {@code p}-th percentile falls in, or null when empty. */
    public Duration percentile(double p) {
      long total = 0;
      for (long count : histogram) {
        total += count;
      }
      if (total == 0) {
        return null;
      }
      long rank = (long) Math.ceil(p * total);
      long seen = 0;
      for (int i = 0; i < histogram.length; i++) {
        seen += histogram[i];
        if (seen >= Math.max(1, rank)) {
          return BOUNDS_MS[i] == Long.MAX_VALUE ? null : Duration.ofMillis(BOUNDS_MS[i]);
        }
      }
      return null;
    }
  }

  private final Clock clock;
  private final Map<DestinationName, Ring> rings = new ConcurrentHashMap<>();

  public DeliveryActivity(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void delivery(DestinationName destination, String outcome, int items) {
    Ring ring = ring(destination);
    synchronized (ring) {
      Slot slot = ring.current(clock.instant());
      switch (outcome) {
        case "ok" -> {
          slot.delivered += items;
          ring.lastDeliveredAt = clock.instant();
          ring.problemCleared = true;
        }
        case "retry", "rejected", "error", "awaiting_authentication" -> slot.failed += items;
        default -> {} // deferred, held for order: nothing was tried
      }
    }
  }

  @Override
  public void deliveryLatency(DestinationName destination, Duration waited) {
    long millis = Math.max(0, waited.toMillis());
    int bucket = 0;
    while (millis > BOUNDS_MS[bucket]) {
      bucket++;
    }
    Ring ring = ring(destination);
    synchronized (ring) {
      ring.current(clock.instant()).latency[bucket]++;
    }
  }

  @Override
  public void deadLettered(DestinationName destination, int items) {}

  @Override
  public void problem(
      DestinationName destination, String error, Instant waitUntil, boolean needsLogin) {
    Ring ring = ring(destination);
    synchronized (ring) {
      ring.problem = new Problem(error, clock.instant(), waitUntil, needsLogin);
      ring.problemCleared = false;
    }
  }

  /** Records a destination's queue depth now (sampled by a timer). */
  public void depth(DestinationName destination, long depth) {
    Ring ring = ring(destination);
    synchronized (ring) {
      ring.current(clock.instant()).depth = depth;
    }
  }

  /** The last problem, and whether a delivery succeeded since. */
  public java.util.Optional<Problem> lastProblem(DestinationName destination) {
    Ring ring = ring(destination);
    synchronized (ring) {
      return java.util.Optional.ofNullable(ring.problem);
    }
  }

  /** Whether a delivery succeeded after the last problem. */
  public boolean recoveredSinceProblem(DestinationName destination) {
    Ring ring = ring(destination);
    synchronized (ring) {
      return ring.problemCleared;
    }
  }

  /** The slots of the last {@code window}, summed. */
  public Summary summary(DestinationName destination, Duration window) {
    Instant now = clock.instant();
    Ring ring = ring(destination);
    synchronized (ring) {
      long delivered = 0;
      long failed = 0;
      long[] histogram = new long[BOUNDS_MS.length];
      for (Slot slot : ring.slotsSince(now.minus(window), now)) {
        delivered += slot.delivered;
        failed += slot.failed;
        for (int i = 0; i < histogram.length; i++) {
          histogram[i] += slot.latency[i];
        }
      }
      return new Summary(delivered, failed, histogram, ring.lastDeliveredAt);
    }
  }

  /**
   * The last hour in steps of {@code step}, oldest first: each step's deliveries, failures, 95th
   * percentile and last depth sampled (-1 when none).
   */
  public List<Step> history(DestinationName destination, Duration step) {
    Instant now = clock.instant();
    long stepMillis = step.toMillis();
    Instant end = Instant.ofEpochMilli(now.toEpochMilli() / stepMillis * stepMillis + stepMillis);
    Instant start = end.minus(KEPT);
    Ring ring = ring(destination);
    List<Step> steps = new ArrayList<>();
    synchronized (ring) {
      for (Instant from = start; from.isBefore(end); from = from.plus(step)) {
        long delivered = 0;
        long failed = 0;
        long depth = -1;
        long[] histogram = new long[BOUNDS_MS.length];
        for (Slot slot : ring.slotsSince(from, from.plus(step).minusMillis(1))) {
          delivered += slot.delivered;
          failed += slot.failed;
          if (slot.depth >= 0) {
            depth = slot.depth;
          }
          for (int i = 0; i < histogram.length; i++) {
            histogram[i] += slot.latency[i];
          }
        }
        steps.add(
            new Step(
                from,
                depth,
                delivered,
                failed,
                new Summary(delivered, failed, histogram, null).percentile(0.95)));
      }
    }
    return steps;
  }

  /** One step of {@link #history}. */
  public record Step(Instant from, long depth, long delivered, long failed, Duration latencyP95) {}

  private Ring ring(DestinationName destination) {
    return rings.computeIfAbsent(destination, d -> new Ring());
  }

  private static final class Slot {
    long index = Long.MIN_VALUE;
    long delivered;
    long failed;
    long depth = -1;
    final long[] latency = new long[BOUNDS_MS.length];

    void reset(long newIndex) {
      index = newIndex;
      delivered = 0;
      failed = 0;
      depth = -1;
      java.util.Arrays.fill(latency, 0);
    }
  }

  /** The slots of one destination; guarded by its own monitor. */
  private static final class Ring {
    final Slot[] slots = new Slot[SLOTS];
    Problem problem;
    boolean problemCleared;
    Instant lastDeliveredAt;

    Ring() {
      for (int i = 0; i < SLOTS; i++) {
        slots[i] = new Slot();
      }
    }

    Slot current(Instant now) {
      long index = now.toEpochMilli() / SLOT.toMillis();
      Slot slot = slots[(int) Math.floorMod(index, (long) SLOTS)];
      if (slot.index != index) {
        slot.reset(index); // an hour old: reused
      }
      return slot;
    }

    /** The slots still kept whose time lies in [from, to]. */
    List<Slot> slotsSince(Instant from, Instant to) {
      long first = from.toEpochMilli() / SLOT.toMillis();
      long last = to.toEpochMilli() / SLOT.toMillis();
      List<Slot> found = new ArrayList<>();
      for (long index = Math.max(first, last - SLOTS + 1); index <= last; index++) {
        Slot slot = slots[(int) Math.floorMod(index, (long) SLOTS)];
        if (slot.index == index) {
          found.add(slot);
        }
      }
      return found;
    }
  }
}

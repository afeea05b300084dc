package io.audiencerelay.application.delivery;

import io.audiencerelay.application.logging.FailureStreak;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves one destination's queued changes to its partner, one cycle at a time: waits for a full
 * batch or the linger time, keeps only the last change per user, sends a segment's changes only
 * once every change of that segment accepted before them is settled (so a user's changes reach the
 * partner in the order they were accepted, through retries, leases that run out and restarts),
 * paces every partner call under the destination's rate limit, honours the partner's requested
 * delay, backs off with full jitter, and gives up into the dead-letter table after the attempt or
 * age limit.
 *
 * <p>Cycles are driven from outside ({@link DeliveryScheduler} in production, the test with a moved
 * clock); the destination's threads share one worker. Waits (a rate limit's next token, an earlier
 * change in flight) go through the injected {@link Sleeper}.
 *
 * <p>Long because one destination's delivery loop is one story told in order: when to wake, what to
 * claim, which changes wait for earlier ones of their segment, and how each outcome is recorded;
 * split, its invariants would be spread over several files.
 */
public final class DeliveryWorker {
  private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());
  static final Duration IDLE_POLL = Duration.ofMillis(500);

  /** A claim takes up to this many partner batches, one segment's changes per batch. */
  static final int BATCHES_PER_CLAIM = 10;

  /** ... but no more changes than this in one claim. */
  static final int CLAIM_CEILING = 10_000;

  /** How often a lingering partial batch is looked at again, to see whether it has filled. */
  static final Duration LINGER_RECHECK = Duration.ofMillis(20);

  /** How soon a worker whose claim found the due changes held elsewhere looks again. */
  static final Duration HELD_ELSEWHERE_RECHECK = Duration.ofMillis(50);

  /** How often a destination waiting for a new partner login looks again. */
  public static final Duration AUTHENTICATION_RECHECK = Duration.ofMinutes(1);

  /** How often a segment's changes look again whether the earlier ones in flight have settled. */
  static final Duration ORDER_POLL = Duration.ofMillis(10);

  /**
   * How long a segment's changes wait for earlier ones in flight before they go back to the queue
   * (behind them) instead.
   */
  static final Duration ORDER_WAIT = Duration.ofSeconds(5);

  private final Route route;
  private final DeliveryBacklog backlog;
  private final AudienceDeliveryService delivery;
  private final DeliveryMetrics metrics;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final DeliverySettings settings;
  private final DestinationPauses pauses;
  private final TokenBucket rateLimit;
  private final CallPacer pacer;
  // A store that is away fails every delivery until it is back: a few lines, not one a batch.
  private final FailureStreak unexpectedFailures;
  private final InFlight inFlight = new InFlight();
  private final AtomicLong claims = new AtomicLong();
  private volatile Instant pausedUntil = Instant.MIN;
  private volatile boolean foundNothing;

  public DeliveryWorker(
      Route route,
      DeliveryBacklog backlog,
      AudienceDeliveryService delivery,
      DeliveryMetrics metrics,
      Clock clock,
      Sleeper sleeper,
      DoubleSupplier random,
      DeliverySettings settings,
      DestinationPauses pauses) {
    this.route = route;
    this.pauses = pauses;
    this.backlog = backlog;
    this.delivery = delivery;
    this.metrics = metrics;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.settings = settings;
    // No burst: calls are spaced evenly, so no second ever holds more than the limit's calls.
    this.rateLimit =
        settings.ratePerSecond() > 0 ? new TokenBucket(clock, settings.ratePerSecond(), 1) : null;
    this.pacer =
        rateLimit == null ? CallPacer.UNLIMITED : CallPacer.rateLimited(rateLimit, clock, sleeper);
    this.unexpectedFailures = FailureStreak.perMinute(LOG, Level.WARNING, clock);
  }

  /**
   * Whether the last cycle found nothing due, so the worker is idle until woken or its next poll.
   */
  public boolean lastCycleFoundNothing() {
    return foundNothing;
  }

  public DestinationName destination() {
    return route.destination().name();
  }

  /**
   * Runs one cycle.
   *
   * @return when the next cycle should run; now or earlier means at once
   */
  public Instant runOnce() {
    Instant now = clock.instant();
    if (now.isBefore(pausedUntil)) {
      return pausedUntil;
    }
    if (pauses.paused(destination())) {
      // An operator paused it: updates keep being accepted, nothing goes until resumed.
      foundNothing = true;
      return now.plus(DestinationPauses.REFRESH);
    }
    if (rateLimit != null) {
      // Without a call's turn nothing can go: asking the queue would only cost a query per wake-up.
      Duration wait = pacer.untilNextTurn();
      if (!wait.isZero()) {
        return now.plus(wait);
      }
    }
    int batchLimit = Math.max(1, route.connector().maxBatchSize(route.destination()));
    if (settings.maxBatchSize() > 0) {
      batchLimit = Math.min(batchLimit, settings.maxBatchSize());
    }
    DeliveryBacklog.DueItems due = backlog.due(destination(), now, batchLimit);
    foundNothing = due.count() == 0;
    if (foundNothing) {
      return now.plus(IDLE_POLL);
    }
    Instant lingerEnds = due.oldestEnqueuedAt().plus(settings.linger());
    if (due.count() < batchLimit && lingerEnds.isAfter(now)) {
      // Look again soon rather than sleep through the linger: a batch that fills goes at once.
      Instant recheck = now.plus(LINGER_RECHECK);
      return recheck.isBefore(lingerEnds) ? recheck : lingerEnds;
    }
    // Changes of several segments interleave in the queue, and each segment is its own partner
    // call: claiming several batches' worth lets each call carry a full batch. A rate-limited
    // destination takes one batch at a time: its calls go one per turn anyway.
    int claimLimit =
        rateLimit != null
            ? batchLimit
            : Math.max(batchLimit, Math.min(batchLimit * BATCHES_PER_CLAIM, CLAIM_CEILING));
    List<QueuedChange> claimed = backlog.claim(destination(), claimLimit, now, settings.lease());
    if (claimed.isEmpty()) {
      // Another worker took them, or they belong to a segment in flight at another claim (a
      // segment goes one claim at a time): look again shortly rather than claim in a loop.
      return now.plus(HELD_ELSEWHERE_RECHECK);
    }
    deliverClaim(claimed, batchLimit, now);
    return clock.instant();
  }

  private void deliverClaim(List<QueuedChange> claimed, int batchLimit, Instant now) {
    // In acceptance order, whatever store each came from: the last change per user is the last
    // one accepted.
    List<QueuedChange> ordered = new ArrayList<>(claimed);
    ordered.sort(Comparator.comparingLong(QueuedChange::sequence));
    Map<SegmentKey, List<QueuedChange>> bySegment = new LinkedHashMap<>();
    for (QueuedChange item : ordered) {
      bySegment
          .computeIfAbsent(SegmentKey.of(item.change().segment()), s -> new ArrayList<>())
          .add(item);
    }
    List<List<QueuedChange>> batches = new ArrayList<>();
    for (List<QueuedChange> items : bySegment.values()) {
      for (int from = 0; from < items.size(); from += batchLimit) {
        batches.add(items.subList(from, Math.min(items.size(), from + batchLimit)));
      }
    }
    long claim = claims.incrementAndGet();
    inFlight.hold(claim, batches);
    Instant handBackAfter = now.plus(settings.lease().dividedBy(2));
    try {
      for (int i = 0; i < batches.size(); i++) {
        Instant current = clock.instant();
        boolean paused = current.isBefore(pausedUntil) || pauses.paused(destination());
        if (i > 0 && (paused || current.isAfter(handBackAfter))) {
          // Hand the rest back rather than let its lease run out (another worker would then
          // deliver it a second time) or hold it through the destination's pause.
          List<Long> rest = new ArrayList<>();
          batches.subList(i, batches.size()).forEach(b -> b.forEach(q -> rest.add(q.id())));
          backlog.postpone(rest, paused ? max(pausedUntil, current) : current, null);
          break;
        }
        List<QueuedChange> batch = batches.get(i);
        deliverInTurn(claim, batch, handBackAfter);
        inFlight.settled(claim, batch);
      }
    } finally {
      inFlight.release(claim);
    }
  }

  /**
   * Delivers a segment's batch in the order its changes were accepted: the changes accepted before
   * every change of the segment held elsewhere (in flight at another claim, waiting for a retry,
   * not claimed) go at once; the others wait a little for changes in flight, and go back to the
   * queue behind a change that waits for a retry.
   */
  private void deliverInTurn(long claim, List<QueuedChange> batch, Instant handBackAfter) {
    ExternalSegment segment = batch.getFirst().change().segment();
    SegmentKey key = SegmentKey.of(segment);
    List<QueuedChange> items = batch;
    Instant waitUntil = min(clock.instant().plus(ORDER_WAIT), handBackAfter);
    while (!items.isEmpty()) {
      Instant now = clock.instant();
      List<Long> sequences = new ArrayList<>(items.size());
      items.forEach(item -> sequences.add(item.sequence()));
      long heldElsewhere = inFlight.firstHeldByAnother(claim, key);
      Optional<DeliveryBacklog.EarlierChange> earlier =
          backlog.earlierChange(destination(), segment, sequences, now);
      long first = Math.min(heldElsewhere, earlier.map(e -> e.sequence()).orElse(Long.MAX_VALUE));
      int free = 0;
      while (free < items.size() && items.get(free).sequence() < first) {
        free++;
      }
      if (free > 0) {
        // Nothing of the segment is held before these: they go now, the rest is looked at again.
        deliverSegment(items.subList(0, free), handBackAfter);
        items = items.subList(free, items.size());
        continue;
      }
      // The first change held elsewhere decides: in flight, it settles soon; waiting, it has a
      // time.
      boolean inFlightElsewhere =
          heldElsewhere == first || earlier.filter(e -> e.sequence() == first).get().inFlight();
      if (!inFlightElsewhere || !now.isBefore(waitUntil)) {
        // Behind a waiting change, they take its very time, even one already past: the queue's due
        // order (time, then acceptance) then hands them out after it and in their own order. Put at
        // "now", held batches would sit in the due order in groups whose acceptance orders
        // interleave, and every later claim of the segment would find its changes blocked
        // (docs/RELIABILITY.md, what the soak found).
        Instant after = inFlightElsewhere ? now.plus(ORDER_WAIT) : earlier.get().nextAttemptAt();
        backlog.postpone(
            ids(items), after, "waiting for earlier changes of segment " + segment.segmentId());
        metrics.delivery(destination(), "held_for_order", items.size());
        return;
      }
      try {
        sleeper.sleep(ORDER_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        backlog.postpone(ids(items), now, null);
        return;
      }
    }
  }

  private void deliverSegment(List<QueuedChange> items, Instant handBackAfter) {
    List<QueuedChange> kept = lastChangePerUser(items);
    Set<Long> keptIds = new HashSet<>();
    kept.forEach(item -> keptIds.add(item.id()));
    List<Long> superseded = new ArrayList<>();
    for (QueuedChange item : items) {
      if (!keptIds.contains(item.id())) {
        superseded.add(item.id());
      }
    }
    // The older changes of a user are settled by the newest: what the partner ends with is the
    // last change accepted.
    backlog.complete(superseded);
    DeliveryReport report;
    try {
      report =
          delivery.deliverEach(
              destination(),
              kept.stream().map(QueuedChange::change).toList(),
              pacer,
              handBackAfter);
      unexpectedFailures.succeeded(() -> "deliveries to '" + destination() + "' run");
    } catch (RuntimeException e) {
      unexpectedFailures.failed(e, () -> "delivery to '" + destination() + "' failed unexpectedly");
      report =
          new DeliveryReport(
              List.of(
                  new DeliveryReport.Part(
                      positions(kept.size()),
                      new DeliveryOutcome.Retry(
                          Duration.ZERO,
                          "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()))));
    }
    Instant now = clock.instant();
    for (DeliveryReport.Part part : report.parts()) {
      List<QueuedChange> settled = part.positions().stream().map(kept::get).toList();
      settle(settled, part.outcome(), now);
    }
  }

  private void settle(List<QueuedChange> items, DeliveryOutcome outcome, Instant now) {
    List<Long> ids = ids(items);
    switch (outcome) {
      case DeliveryOutcome.Ok ok -> {
        backlog.complete(ids);
        metrics.delivery(destination(), "ok", items.size());
        for (QueuedChange item : items) {
          metrics.deliveryLatency(destination(), Duration.between(item.enqueuedAt(), now));
        }
      }
      case DeliveryOutcome.Rejected rejected -> {
        metrics.delivery(destination(), "rejected", items.size());
        backlog.deadLetter(ids, "rejected: " + rejected.reason(), now);
        metrics.deadLettered(destination(), ids.size());
        metrics.problem(destination(), "rejected: " + rejected.reason(), now, false);
        LOG.warning(
            () ->
                ids.size()
                    + " change(s) for '"
                    + destination()
                    + "' rejected: "
                    + rejected.reason());
      }
      case DeliveryOutcome.Retry retry -> {
        metrics.delivery(destination(), "retry", items.size());
        retryOrGiveUp(items, retry, now);
      }
      case DeliveryOutcome.AwaitingAuthentication awaiting -> {
        metrics.delivery(destination(), "awaiting_authentication", items.size());
        // Nobody can fix this but a user logging in: look again now and then, spend no attempt.
        Instant recheck = now.plus(AUTHENTICATION_RECHECK);
        if (recheck.isAfter(pausedUntil)) {
          pausedUntil = recheck;
        }
        backlog.postpone(ids, recheck, "awaiting authentication: " + awaiting.reason());
        metrics.problem(
            destination(), "awaiting authentication: " + awaiting.reason(), recheck, true);
        LOG.warning(
            () ->
                "deliveries to '"
                    + destination()
                    + "' wait for a new partner login: "
                    + awaiting.reason());
      }
      case DeliveryOutcome.Deferred deferred -> {
        metrics.delivery(destination(), "deferred", items.size());
        backlog.postpone(ids, now.plus(deferred.after()), null);
      }
      case DeliveryOutcome.PartlyRejected partly ->
          throw new IllegalStateException("a report part is never a partial refusal");
    }
  }

  private void retryOrGiveUp(List<QueuedChange> items, DeliveryOutcome.Retry retry, Instant now) {
    if (!retry.after().isZero()) {
      // The partner asked the whole destination to wait, not just these changes.
      Instant until = now.plus(retry.after());
      if (until.isAfter(pausedUntil)) {
        pausedUntil = until;
      }
    }
    List<Long> again = new ArrayList<>();
    List<Long> giveUp = new ArrayList<>();
    int attempts = 0;
    for (QueuedChange item : items) {
      boolean tooOld = Duration.between(item.enqueuedAt(), now).compareTo(settings.maxAge()) > 0;
      if (item.attempts() + 1 >= settings.maxAttempts() || tooOld) {
        giveUp.add(item.id());
      } else {
        again.add(item.id());
        attempts = Math.max(attempts, item.attempts());
      }
    }
    Duration wait = max(retry.after(), backoff(attempts));
    backlog.retry(again, now.plus(wait), retry.reason());
    metrics.problem(destination(), retry.reason(), max(pausedUntil, now.plus(wait)), false);
    if (!giveUp.isEmpty()) {
      backlog.deadLetter(giveUp, "gave up after retries: " + retry.reason(), now);
      metrics.deadLettered(destination(), giveUp.size());
    }
  }

  /** Full jitter: uniform between zero and the doubled base, capped. */
  Duration backoff(int previousAttempts) {
    double ceiling =
        Math.min(
            settings.maxBackoff().toMillis(),
            settings.baseBackoff().toMillis() * Math.pow(2, Math.min(previousAttempts, 30)));
    return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
  }

  /**
   * Keeps, for each user, only the latest change of the batch (the batch is in acceptance order):
   * an add then a remove of the same user sends only the remove. A user is the set of its
   * identifiers.
   */
  static List<QueuedChange> lastChangePerUser(List<QueuedChange> items) {
    Map<Object, QueuedChange> latest = new LinkedHashMap<>(items.size() * 2);
    for (QueuedChange item : items) {
      Object user = userKey(item.change());
      latest.remove(user); // re-insert so the survivor keeps its own position in the order
      latest.put(user, item);
    }
    return List.copyOf(latest.values());
  }

  /** One identifier, as a user key: its type and value. */
  private record TypedValue(String type, String value) {}

  /**
   * Who a change is about: the set of its identifiers, so the same identifiers in another order are
   * the same user. Most changes carry one identifier, which is then the key itself (no set).
   */
  private static Object userKey(MembershipChange change) {
    List<UserIdentifier> identifiers = change.identifiers();
    if (identifiers.size() == 1) {
      UserIdentifier only = identifiers.getFirst();
      return new TypedValue(only.type(), only.value());
    }
    Set<TypedValue> key = new HashSet<>(identifiers.size() * 2);
    for (UserIdentifier identifier : identifiers) {
      key.add(new TypedValue(identifier.type(), identifier.value()));
    }
    // An identifier given twice is still one user, and equal to a change that gives it once.
    return key.size() == 1 ? key.iterator().next() : key;
  }

  /** A segment as the queue orders it: the datamart does not tell two segments apart. */
  private record SegmentKey(String feedId, String segmentId) {
    static SegmentKey of(ExternalSegment segment) {
      return new SegmentKey(segment.feedId().value(), segment.segmentId().value());
    }
  }

  /**
   * The changes this destination's claims hold and have not settled yet, by segment: the first of
   * each. Another claim's changes of the same segment wait for them, so the destination's own
   * threads never send one segment's changes out of order.
   */
  private static final class InFlight {
    // Per segment, per claim: the first sequence of each batch not settled yet, in order.
    private final Map<SegmentKey, Map<Long, ArrayDeque<Long>>> unsettled = new HashMap<>();

    synchronized void hold(long claim, List<List<QueuedChange>> batches) {
      for (List<QueuedChange> batch : batches) {
        unsettled
            .computeIfAbsent(
                SegmentKey.of(batch.getFirst().change().segment()), s -> new HashMap<>())
            .computeIfAbsent(claim, c -> new ArrayDeque<>())
            .addLast(batch.getFirst().sequence());
      }
    }

    /** A batch is settled: the claim's next batch of the segment, if any, now comes first. */
    synchronized void settled(long claim, List<QueuedChange> batch) {
      SegmentKey segment = SegmentKey.of(batch.getFirst().change().segment());
      Map<Long, ArrayDeque<Long>> claims = unsettled.get(segment);
      ArrayDeque<Long> firsts = claims == null ? null : claims.get(claim);
      if (firsts != null) {
        firsts.remove(batch.getFirst().sequence());
        if (firsts.isEmpty()) {
          claims.remove(claim);
        }
        if (claims.isEmpty()) {
          unsettled.remove(segment);
        }
      }
    }

    synchronized void release(long claim) {
      unsettled.values().forEach(claims -> claims.remove(claim));
      unsettled.values().removeIf(Map::isEmpty);
    }

    /**
     * The first change of the segment another claim holds and has not settled, or {@link
     * Long#MAX_VALUE}. A claim that took over changes whose lease ran out holds the same ones as
     * the claim it took them from: each waits for the other's.
     */
    synchronized long firstHeldByAnother(long claim, SegmentKey segment) {
      Map<Long, ArrayDeque<Long>> claims = unsettled.get(segment);
      long first = Long.MAX_VALUE;
      if (claims != null) {
        for (Map.Entry<Long, ArrayDeque<Long>> held : claims.entrySet()) {
          if (held.getKey() != claim) {
            first = Math.min(first, held.getValue().peekFirst());
          }
        }
      }
      return first;
    }
  }

  private static List<Long> ids(List<QueuedChange> items) {
    List<Long> ids = new ArrayList<>(items.size());
    items.forEach(item -> ids.add(item.id()));
    return ids;
  }

  private static List<Integer> positions(int count) {
    List<Integer> positions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      positions.add(i);
    }
    return positions;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}

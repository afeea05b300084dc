package io.audiencerelay.application.service;

import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryBacklog.QueuedChange;
import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.application.service.DestinationDirectory.Route;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves one destination's queued changes to its partner, one cycle at a time: waits for a full
 * batch or the linger time, keeps only the last change per user, honours the partner's requested
 * delay and the destination's rate limit, backs off with full jitter, and gives up into the
 * dead-letter table after the attempt or age limit.
 *
 * <p>Cycles are driven from outside ({@link DeliveryScheduler} in production, the test with a moved
 * clock), so the worker itself never sleeps.
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

  /** How often a destination waiting for a new partner login looks again. */
  static final Duration AUTHENTICATION_RECHECK = Duration.ofMinutes(1);

  private final Route route;
  private final DeliveryBacklog backlog;
  private final AudienceDeliveryService delivery;
  private final DeliveryMetrics metrics;
  private final Clock clock;
  private final DoubleSupplier random;
  private final DeliverySettings settings;
  private final TokenBucket rateLimit;
  private volatile Instant pausedUntil = Instant.MIN;
  private volatile boolean foundNothing;

  public DeliveryWorker(
      Route route,
      DeliveryBacklog backlog,
      AudienceDeliveryService delivery,
      DeliveryMetrics metrics,
      Clock clock,
      DoubleSupplier random,
      DeliverySettings settings) {
    this.route = route;
    this.backlog = backlog;
    this.delivery = delivery;
    this.metrics = metrics;
    this.clock = clock;
    this.random = random;
    this.settings = settings;
    this.rateLimit =
        settings.ratePerSecond() > 0
            ? new TokenBucket(
                clock, settings.ratePerSecond(), Math.max(1, settings.ratePerSecond()))
            : null;
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
    if (rateLimit != null) {
      // Without a token nothing can go: asking the queue would only cost a query per wake-up.
      Duration wait = rateLimit.untilAvailable();
      if (!wait.isZero()) {
        return now.plus(wait);
      }
    }
    int batchLimit = Math.max(1, route.connector().maxBatchSize());
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
    if (rateLimit != null) {
      Duration wait = rateLimit.tryTake();
      if (!wait.isZero()) {
        return now.plus(wait);
      }
    }
    // Changes of several segments interleave in the queue, and each segment is its own partner
    // call: claiming several batches' worth lets each call carry a full batch. A rate-limited
    // destination takes one batch per token.
    int claimLimit =
        rateLimit != null
            ? batchLimit
            : Math.max(batchLimit, Math.min(batchLimit * BATCHES_PER_CLAIM, CLAIM_CEILING));
    List<QueuedChange> claimed = backlog.claim(destination(), claimLimit, now, settings.lease());
    if (claimed.isEmpty()) {
      return now; // another worker took them
    }
    Map<ExternalSegment, List<QueuedChange>> bySegment = new LinkedHashMap<>();
    for (QueuedChange item : claimed) {
      bySegment.computeIfAbsent(item.change().segment(), s -> new ArrayList<>()).add(item);
    }
    List<List<QueuedChange>> batches = new ArrayList<>();
    for (List<QueuedChange> items : bySegment.values()) {
      for (int from = 0; from < items.size(); from += batchLimit) {
        batches.add(items.subList(from, Math.min(items.size(), from + batchLimit)));
      }
    }
    Instant handBackAfter = now.plus(settings.lease().dividedBy(2));
    for (int i = 0; i < batches.size(); i++) {
      Instant current = clock.instant();
      boolean paused = current.isBefore(pausedUntil);
      if (i > 0 && (paused || current.isAfter(handBackAfter))) {
        // Hand the rest back rather than let its lease run out (another worker would then deliver
        // it a second time) or hold it through the destination's pause.
        List<Long> rest = new ArrayList<>();
        batches.subList(i, batches.size()).forEach(batch -> batch.forEach(q -> rest.add(q.id())));
        backlog.postpone(rest, paused ? pausedUntil : current, null);
        break;
      }
      deliverSegment(batches.get(i));
    }
    return clock.instant();
  }

  private void deliverSegment(List<QueuedChange> items) {
    List<QueuedChange> kept = lastChangePerUser(items);
    Set<Long> keptIds = new HashSet<>();
    kept.forEach(item -> keptIds.add(item.id()));
    List<Long> superseded = new ArrayList<>();
    for (QueuedChange item : items) {
      if (!keptIds.contains(item.id())) {
        superseded.add(item.id());
      }
    }
    List<Long> ids = kept.stream().map(QueuedChange::id).toList();
    DeliveryOutcome outcome;
    try {
      outcome = delivery.deliver(destination(), kept.stream().map(QueuedChange::change).toList());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, e, () -> "delivery to '" + destination() + "' failed unexpectedly");
      outcome =
          new DeliveryOutcome.Retry(
              Duration.ZERO, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    Instant now = clock.instant();
    switch (outcome) {
      case DeliveryOutcome.Ok ok -> {
        backlog.complete(concat(ids, superseded));
        metrics.delivery(destination(), "ok", kept.size());
        for (QueuedChange item : kept) {
          metrics.deliveryLatency(destination(), Duration.between(item.enqueuedAt(), now));
        }
      }
      case DeliveryOutcome.PartlyRejected partly -> {
        List<Long> refused = new ArrayList<>();
        List<Long> delivered = new ArrayList<>(superseded);
        for (int i = 0; i < kept.size(); i++) {
          (partly.rejectedIndexes().contains(i) ? refused : delivered).add(kept.get(i).id());
        }
        backlog.complete(delivered);
        backlog.deadLetter(refused, "rejected: " + partly.reason(), now);
        metrics.delivery(destination(), "ok", kept.size() - refused.size());
        metrics.delivery(destination(), "rejected", refused.size());
        metrics.deadLettered(destination(), refused.size());
        LOG.warning(
            () ->
                refused.size()
                    + " change(s) for '"
                    + destination()
                    + "' refused: "
                    + partly.reason());
      }
      case DeliveryOutcome.Retry retry -> {
        metrics.delivery(destination(), "retry", kept.size());
        backlog.complete(superseded);
        retryOrGiveUp(kept, retry, now);
      }
      case DeliveryOutcome.AwaitingAuthentication awaiting -> {
        metrics.delivery(destination(), "awaiting_authentication", kept.size());
        backlog.complete(superseded);
        // Nobody can fix this but a user logging in: look again now and then, spend no attempt.
        Instant recheck = now.plus(AUTHENTICATION_RECHECK);
        if (recheck.isAfter(pausedUntil)) {
          pausedUntil = recheck;
        }
        backlog.postpone(ids, recheck, "awaiting authentication: " + awaiting.reason());
        LOG.warning(
            () ->
                "deliveries to '"
                    + destination()
                    + "' wait for a new partner login: "
                    + awaiting.reason());
      }
      case DeliveryOutcome.Rejected rejected -> {
        metrics.delivery(destination(), "rejected", kept.size());
        backlog.complete(superseded);
        backlog.deadLetter(ids, "rejected: " + rejected.reason(), now);
        metrics.deadLettered(destination(), ids.size());
        LOG.warning(
            () ->
                ids.size()
                    + " change(s) for '"
                    + destination()
                    + "' rejected: "
                    + rejected.reason());
      }
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
   * Keeps, for each user, only the latest change of the batch: an add then a remove of the same
   * user sends only the remove. A user is the set of its identifiers.
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

  private static List<Long> concat(List<Long> a, List<Long> b) {
    List<Long> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}

package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable queue's behaviour in memory, for worker tests. Runs the same contract as the real
 * stores.
 */
public final class InMemoryDeliveryQueue
    implements DeliveryQueue,
        DeliveryBacklog,
        io.audiencerelay.application.port.out.DeadLetterStore {
  private static final class Item {
    final long id;
    final DestinationName destination;
    final MembershipChange change;
    final Instant enqueuedAt;
    int attempts;
    Instant nextAttemptAt;
    Instant leasedUntil;
    String lastError;

    Item(long id, DestinationName destination, MembershipChange change, Instant now) {
      this.id = id;
      this.destination = destination;
      this.change = change;
      this.enqueuedAt = now;
      this.nextAttemptAt = now;
    }

    QueuedChange view() {
      return new QueuedChange(id, destination, change, attempts, enqueuedAt, id);
    }
  }

  private final Clock clock;
  private final long maxDepth;
  private final Map<Long, Item> items = new LinkedHashMap<>();
  public final List<DeadLetter> dead = new ArrayList<>();
  private long nextId = 1;
  private int dueQueries;

  public InMemoryDeliveryQueue(Clock clock, long maxDepth) {
    this.clock = clock;
    this.maxDepth = maxDepth;
  }

  @Override
  public synchronized EnqueueOutcome enqueue(
      DestinationName destination, List<MembershipChange> changes) {
    long depth = items.values().stream().filter(i -> i.destination.equals(destination)).count();
    if (depth >= maxDepth) {
      return new EnqueueOutcome.Retry(
          Duration.ofSeconds(1), "the queue of destination '" + destination + "' is full");
    }
    for (MembershipChange change : changes) {
      long id = nextId++;
      items.put(id, new Item(id, destination, change, clock.instant()));
    }
    return new EnqueueOutcome.Accepted();
  }

  @Override
  public synchronized DueItems due(DestinationName destination, Instant now, int atMost) {
    dueQueries++;
    List<Item> due = dueItems(destination, now);
    return new DueItems(
        Math.min(atMost, due.size()), due.isEmpty() ? null : due.getFirst().enqueuedAt);
  }

  @Override
  public synchronized List<QueuedChange> claim(
      DestinationName destination, int limit, Instant now, Duration lease) {
    List<QueuedChange> claimed = new ArrayList<>();
    for (Item item : dueItems(destination, now)) {
      if (claimed.size() == limit) {
        break;
      }
      item.leasedUntil = now.plus(lease);
      claimed.add(item.view());
    }
    return claimed;
  }

  @Override
  public synchronized void complete(List<Long> ids) {
    ids.forEach(items::remove);
  }

  @Override
  public synchronized void retry(List<Long> ids, Instant nextAttemptAt, String error) {
    reschedule(ids, nextAttemptAt, error, 1);
  }

  @Override
  public synchronized void postpone(List<Long> ids, Instant nextAttemptAt, String error) {
    reschedule(ids, nextAttemptAt, error, 0);
  }

  private void reschedule(List<Long> ids, Instant nextAttemptAt, String error, int spent) {
    for (long id : ids) {
      Item item = items.get(id);
      if (item == null) {
        continue; // settled meanwhile by another worker: nothing to reschedule
      }
      item.attempts += spent;
      item.nextAttemptAt = nextAttemptAt;
      item.leasedUntil = null;
      item.lastError = error;
    }
  }

  @Override
  public synchronized void deadLetter(List<Long> ids, String error, Instant now) {
    for (long id : ids) {
      Item item = items.remove(id);
      if (item == null) {
        continue;
      }
      dead.add(
          new DeadLetter(
              id,
              item.destination,
              java.util.Optional.of(item.change),
              item.attempts + 1,
              item.enqueuedAt,
              now,
              error));
    }
  }

  @Override
  public synchronized java.util.Optional<EarlierChange> earlierChange(
      DestinationName destination,
      io.audiencerelay.domain.ExternalSegment segment,
      List<Long> sequences,
      Instant now) {
    long last = sequences.getLast();
    java.util.Set<Long> own = new java.util.HashSet<>(sequences);
    return items.values().stream()
        .filter(i -> i.destination.equals(destination) && i.id < last && !own.contains(i.id))
        .filter(i -> sameSegment(i.change.segment(), segment))
        .min(Comparator.comparingLong(i -> i.id))
        .map(
            i ->
                new EarlierChange(
                    i.id, i.nextAttemptAt, i.leasedUntil != null && !i.leasedUntil.isBefore(now)));
  }

  private static boolean sameSegment(
      io.audiencerelay.domain.ExternalSegment a, io.audiencerelay.domain.ExternalSegment b) {
    return a.feedId().equals(b.feedId()) && a.segmentId().equals(b.segmentId());
  }

  @Override
  public synchronized List<DestinationBacklog> backlog(Instant now) {
    Map<DestinationName, List<Item>> byDestination = new LinkedHashMap<>();
    items
        .values()
        .forEach(i -> byDestination.computeIfAbsent(i.destination, d -> new ArrayList<>()).add(i));
    List<DestinationBacklog> backlog = new ArrayList<>();
    byDestination.forEach(
        (destination, list) ->
            backlog.add(
                new DestinationBacklog(
                    destination,
                    list.size(),
                    list.getFirst().enqueuedAt,
                    list.stream()
                        .filter(i -> i.lastError != null)
                        .max(Comparator.comparingLong(i -> i.id))
                        .map(i -> i.lastError)
                        .orElse(null))));
    return backlog;
  }

  @Override
  public synchronized List<DeadLetter> deadLetters(DestinationName destination, int limit) {
    return dead.reversed().stream()
        .filter(letter -> letter.destination().equals(destination))
        .limit(limit)
        .toList();
  }

  /** Every queued item, for assertions. */
  public synchronized List<QueuedChange> queued() {
    return items.values().stream().map(Item::view).toList();
  }

  /** How many times a worker asked what is due, for assertions. */
  public synchronized int dueQueries() {
    return dueQueries;
  }

  /** Until when an item is leased (null when it is not), for assertions. */
  public synchronized Instant leasedUntilOf(long id) {
    return items.get(id).leasedUntil;
  }

  /** When an item is next due, for assertions. */
  public synchronized Instant nextAttemptOf(long id) {
    return items.get(id).nextAttemptAt;
  }

  private List<Item> dueItems(DestinationName destination, Instant now) {
    return items.values().stream()
        .filter(i -> i.destination.equals(destination))
        .filter(i -> !i.nextAttemptAt.isAfter(now))
        .filter(i -> i.leasedUntil == null || i.leasedUntil.isBefore(now))
        .sorted(Comparator.comparing((Item i) -> i.nextAttemptAt).thenComparingLong(i -> i.id))
        .toList();
  }

  @Override
  public synchronized List<DeadLetter> newest(DeadLetterQuery query, int limit) {
    return dead.reversed().stream().filter(letter -> matches(query, letter)).limit(limit).toList();
  }

  @Override
  public synchronized List<DeadLetter> after(DeadLetterQuery query, long afterId, int limit) {
    return dead.stream()
        .filter(letter -> letter.id() > afterId && matches(query, letter))
        .sorted(java.util.Comparator.comparingLong(DeadLetter::id))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized long count(DeadLetterQuery query) {
    return dead.stream().filter(letter -> matches(query, letter)).count();
  }

  @Override
  public synchronized int remove(List<Long> ids) {
    int before = dead.size();
    java.util.Set<Long> gone = new java.util.HashSet<>(ids);
    dead.removeIf(letter -> gone.contains(letter.id()));
    return before - dead.size();
  }

  private static boolean matches(DeadLetterQuery query, DeadLetter letter) {
    return query.destination().map(letter.destination()::equals).orElse(true)
        && query
            .segmentId()
            .map(
                id ->
                    letter
                        .change()
                        .map(c -> c.segment().segmentId().value().equals(id))
                        .orElse(false))
            .orElse(true)
        && query.reasonContains().map(letter.error()::contains).orElse(true);
  }
}

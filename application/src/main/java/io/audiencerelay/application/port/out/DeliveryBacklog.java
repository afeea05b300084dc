package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.Require;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The delivery workers' side of the durable queue. Several workers, in one process or several, may
 * share it: a claim hands each item to one worker for a lease; an item whose lease ends unfinished
 * (a crash) is claimed again, so delivery is at least once.
 */
public interface DeliveryBacklog {

  /**
   * Items of a destination that are due (their next attempt time has come) and not leased to a
   * worker, counted up to {@code atMost}: a worker only needs to know whether a batch is full, and
   * counting a deep queue whole each cycle would cost more than delivering it.
   */
  DueItems due(DestinationName destination, Instant now, int atMost);

  /**
   * Leases up to {@code limit} due items of a destination, oldest first, until {@code now + lease}.
   *
   * @return the leased items, possibly none
   */
  List<QueuedChange> claim(DestinationName destination, int limit, Instant now, Duration lease);

  /** The items were delivered: they leave the queue. */
  void complete(List<Long> ids);

  /**
   * The items wait until {@code nextAttemptAt}; their attempt count grows by one and the error is
   * kept.
   */
  void retry(List<Long> ids, Instant nextAttemptAt, String error);

  /**
   * The items wait until {@code nextAttemptAt} without spending an attempt, because nothing was
   * tried (the partner grant needs a new login): they are never given up for it. The error is kept.
   */
  void postpone(List<Long> ids, Instant nextAttemptAt, String error);

  /** The items leave the queue for the dead-letter table, with the error that ended them. */
  void deadLetter(List<Long> ids, String error, Instant now);

  /** Queue depth and oldest item of every destination that has items. */
  List<DestinationBacklog> backlog(Instant now);

  /** The latest dead letters of a destination, newest first. */
  List<DeadLetter> deadLetters(DestinationName destination, int limit);

  /**
   * One queued change.
   *
   * @param attempts deliveries tried so far
   * @param enqueuedAt when the relay accepted it
   */
  record QueuedChange(
      long id,
      DestinationName destination,
      MembershipChange change,
      int attempts,
      Instant enqueuedAt) {
    public QueuedChange {
      Require.present(destination, "destination");
      Require.present(change, "change");
      Require.present(enqueuedAt, "enqueuedAt");
    }
  }

  /**
   * @param count due, unleased items
   * @param oldestEnqueuedAt when the oldest of them was accepted, or null when there are none
   */
  record DueItems(long count, Instant oldestEnqueuedAt) {}

  /**
   * @param depth every item still queued, due or not
   * @param oldestEnqueuedAt the oldest item's acceptance time
   * @param lastError the most recent delivery error recorded on a queued item, or null
   */
  record DestinationBacklog(
      DestinationName destination, long depth, Instant oldestEnqueuedAt, String lastError) {}

  /**
   * A change that gave up.
   *
   * @param change the change, or empty when it was stored in a form this version no longer reads
   *     (an id with a control character, accepted before ids were checked for them)
   */
  record DeadLetter(
      long id,
      java.util.Optional<MembershipChange> change,
      int attempts,
      Instant enqueuedAt,
      Instant deadAt,
      String error) {
    public DeadLetter {
      Require.present(change, "change");
    }
  }
}

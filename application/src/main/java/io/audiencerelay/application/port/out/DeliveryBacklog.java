package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.Require;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
   * A store may leave out the items of a segment that has items in flight at another claim (the
   * database stores do, so that a segment goes one claim at a time and no worker waits on another
   * for the segment's order); a claim that finds only such items is empty.
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

  /**
   * The oldest change of a segment still queued at this destination (waiting, leased by any worker,
   * or on its way between stores) that was accepted before the last of {@code sequences} and is not
   * one of them, if any. A worker asks before sending a batch of the segment's changes (their
   * sequences, in order): a user's changes must reach the partner in the order they were accepted,
   * so a later change never overtakes an earlier one that waits for a retry or is in flight
   * elsewhere. A batch's changes need not be consecutive: a claim takes changes by due time.
   */
  Optional<EarlierChange> earlierChange(
      DestinationName destination, ExternalSegment segment, List<Long> sequences, Instant now);

  /**
   * A change that must go first.
   *
   * @param sequence its place in the acceptance order: the batch's changes before it may go
   * @param nextAttemptAt when it may next be tried
   * @param inFlight whether a worker holds it now (its lease runs), so it should settle soon
   */
  record EarlierChange(long sequence, Instant nextAttemptAt, boolean inFlight) {
    public EarlierChange {
      Require.present(nextAttemptAt, "nextAttemptAt");
    }
  }

  /** Queue depth and oldest item of every destination that has items. */
  List<DestinationBacklog> backlog(Instant now);

  /** The latest dead letters of a destination, newest first. */
  List<DeadLetter> deadLetters(DestinationName destination, int limit);

  /**
   * One queued change.
   *
   * @param attempts deliveries tried so far
   * @param enqueuedAt when the relay accepted it
   * @param sequence its place in the order changes were accepted at this relay's store: larger is
   *     later, whatever store (memory, database) holds it now
   */
  record QueuedChange(
      long id,
      DestinationName destination,
      MembershipChange change,
      int attempts,
      Instant enqueuedAt,
      long sequence) {
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
      DestinationName destination,
      java.util.Optional<MembershipChange> change,
      int attempts,
      Instant enqueuedAt,
      Instant deadAt,
      String error) {
    public DeadLetter {
      Require.present(destination, "destination");
      Require.present(change, "change");
    }
  }
}

package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.adapters.storage.queue.GroupWriter.PendingWrite;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * How an accepted group becomes durable, and what reads must wait for. On SQLite ({@link
 * JournalAcceptance}) a group is appended to an fsynced journal and moved into the database behind
 * the answer; on PostgreSQL ({@link DirectAcceptance}), which several relays share, it is inserted
 * and committed before the answer.
 */
sealed interface Acceptance permits JournalAcceptance, DirectAcceptance {

  /** The enqueue's journal record, made on the request's thread; null when there is no journal. */
  ByteBuffer record(DestinationName destination, List<MembershipChange> changes, long millis);

  /** Makes the group durable, then completes each write, or fails them all. */
  void store(List<PendingWrite> group);

  /** Starts what runs behind the answers, each loop wrapped by {@code guarded}. */
  void start(BiFunction<String, Runnable, Runnable> guarded);

  /** Waits, {@code limit} at most, until the database holds every update accepted so far. */
  void catchUp(Duration limit);

  /** The fast lane, when accepted changes can reach workers without the database. */
  Optional<FastLane> lane();

  /** Called once the writer has stored what it held: whatever is still only local is settled. */
  void close();

  /** Fails every write of a group that could not be stored (the caller logs why). */
  static void fail(List<PendingWrite> group, Exception e) {
    for (PendingWrite write : group) {
      write.done().completeExceptionally(e);
    }
  }
}

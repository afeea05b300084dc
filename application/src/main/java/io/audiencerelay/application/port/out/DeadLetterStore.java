package io.audiencerelay.application.port.out;

import io.audiencerelay.application.port.out.DeliveryBacklog.DeadLetter;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.Require;
import java.util.List;
import java.util.Optional;

/** The changes that gave up, as an operator reads, requeues and discards them. */
public interface DeadLetterStore {

  /** The dead letters that match, newest first, at most {@code limit}. */
  List<DeadLetter> newest(DeadLetterQuery query, int limit);

  /**
   * The dead letters that match with an id above {@code afterId}, in id order (the order they
   * died), at most {@code limit}: a bulk action walks them in pages.
   */
  List<DeadLetter> after(DeadLetterQuery query, long afterId, int limit);

  /** How many dead letters match. */
  long count(DeadLetterQuery query);

  /** Removes these dead letters (requeued or discarded); answers how many there were. */
  int remove(List<Long> ids);

  /**
   * Which dead letters: every criterion given must hold.
   *
   * @param reasonContains a piece of the error that ended them, matched as written
   */
  record DeadLetterQuery(
      Optional<DestinationName> destination,
      Optional<String> segmentId,
      Optional<String> reasonContains) {
    public DeadLetterQuery {
      Require.present(destination, "destination");
      Require.present(segmentId, "segmentId");
      Require.present(reasonContains, "reasonContains");
      segmentId = segmentId.map(String::strip).filter(s -> !s.isEmpty());
      reasonContains = reasonContains.filter(s -> !s.isBlank());
    }

    public static DeadLetterQuery all() {
      return new DeadLetterQuery(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static DeadLetterQuery of(DestinationName destination) {
      return new DeadLetterQuery(Optional.of(destination), Optional.empty(), Optional.empty());
    }
  }
}

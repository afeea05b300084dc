package io.audiencerelay.application.port.in.admin;

import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;
import io.audiencerelay.application.port.out.DeliveryBacklog.DeadLetter;
import java.util.List;

/** The dead letters that match, newest first. */
public interface ListDeadLettersUseCase {
  DeadLetterPage deadLetters(DeadLetterQuery query, int limit);

  /**
   * @param total how many match, beyond the page too
   */
  record DeadLetterPage(long total, List<DeadLetter> letters) {
    public DeadLetterPage {
      letters = List.copyOf(letters);
    }
  }
}

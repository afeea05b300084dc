package io.audiencerelay.application.port.in.admin;

import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;

/** Deletes the dead letters that match, for good. */
public interface DiscardDeadLettersUseCase {
  AdminActionResult discard(DeadLetterQuery query, String actor);
}

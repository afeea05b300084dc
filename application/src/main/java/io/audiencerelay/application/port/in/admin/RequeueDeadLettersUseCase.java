package io.audiencerelay.application.port.in.admin;

import io.audiencerelay.application.port.out.DeadLetterStore.DeadLetterQuery;

/**
 * Puts the dead letters that match back in the queue, in the order they died, as new changes
 * (attempts start again) behind what is queued now.
 */
public interface RequeueDeadLettersUseCase {
  AdminActionResult requeue(DeadLetterQuery query, String actor);
}

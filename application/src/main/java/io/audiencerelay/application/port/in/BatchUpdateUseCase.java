package io.audiencerelay.application.port.in;

/** Accepts a batch of users entering or leaving a segment. */
public interface BatchUpdateUseCase {
  BatchUpdateResult update(BatchUpdateCommand command);
}

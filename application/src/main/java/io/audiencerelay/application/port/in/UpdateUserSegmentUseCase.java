package io.audiencerelay.application.port.in;

/** Accepts one user entering or leaving a segment. */
public interface UpdateUserSegmentUseCase {
  FeedUpdateResult update(UpdateUserSegmentCommand command);
}

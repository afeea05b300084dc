package io.audiencerelay.application.port.in;

/** Creates (or finds again) the partner audience of an external segment. */
public interface CreateExternalSegmentUseCase {
  SegmentCreationResult create(SegmentCommand command);
}

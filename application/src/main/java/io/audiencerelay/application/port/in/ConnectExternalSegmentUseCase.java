package io.audiencerelay.application.port.in;

/** Checks that the partner audience of an external segment is there and ready. */
public interface ConnectExternalSegmentUseCase {
  SegmentConnectionResult connect(SegmentCommand command);
}

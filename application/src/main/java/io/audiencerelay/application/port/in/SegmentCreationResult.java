package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.Visibility;

/** Answer to the creation of an external segment's partner audience. */
public sealed interface SegmentCreationResult permits SegmentCreationResult.Created, Failed {
  record Created(String message, Visibility visibility) implements SegmentCreationResult {}
}

package io.audiencerelay.application.port.in;

import java.util.List;

/**
 * Accepts many user segment updates at once (the lines of a file): one durable write per
 * destination for the whole group. Each update gets its own answer, in order.
 */
public interface UpdateUserSegmentsUseCase {
  List<UserSegmentUpdateResult> update(List<UpdateUserSegmentCommand> commands);
}

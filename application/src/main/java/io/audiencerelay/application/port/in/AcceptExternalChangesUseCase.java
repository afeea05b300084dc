package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.MembershipChange;
import java.util.List;

/**
 * Accepts membership changes that another platform (the Mapp DMP, a synced-segments sender) pushed
 * for a configured destination: the identifiers the destination can use are kept, and the changes
 * are queued durably in one write.
 */
public interface AcceptExternalChangesUseCase {
  UserSegmentUpdateResult accept(DestinationName destination, List<MembershipChange> changes);
}

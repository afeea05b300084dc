package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedDestinationId;
import java.util.Optional;

/**
 * Remembers which destination each platform feed destination uses, as learned when a segment
 * creation or connection names both a feed (whose destination the relay resolves) and its feed
 * destination. The authentication routes carry a feed destination but no feed: this is how they
 * find their destination when several are configured.
 */
public interface DestinationLinkStore {

  Optional<DestinationName> find(FeedDestinationId feedDestination);

  /** Records the link; a later one for the same feed destination replaces it. */
  void link(FeedDestinationId feedDestination, DestinationName destination);
}

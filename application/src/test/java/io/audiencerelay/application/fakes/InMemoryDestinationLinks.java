package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.DestinationLinkStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedDestinationId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Destination links in a map, for service tests. */
public final class InMemoryDestinationLinks implements DestinationLinkStore {
  public final Map<FeedDestinationId, DestinationName> links = new ConcurrentHashMap<>();

  @Override
  public Optional<DestinationName> find(FeedDestinationId feedDestination) {
    return Optional.ofNullable(links.get(feedDestination));
  }

  @Override
  public void link(FeedDestinationId feedDestination, DestinationName destination) {
    links.put(feedDestination, destination);
  }
}

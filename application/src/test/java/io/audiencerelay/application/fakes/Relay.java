package io.audiencerelay.application.fakes;

import io.audiencerelay.application.delivery.AudienceDeliveryService;
import io.audiencerelay.application.service.auth.AuthenticationRouting;
import io.audiencerelay.application.service.auth.OAuthStates;
import io.audiencerelay.application.service.auth.PartnerGrants;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.application.service.routing.DestinationLinks;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedSettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The application wired over fakes: one scripted destination named {@code demo}, or several. */
public final class Relay {
  public final FakePlatformGateway gateway = new FakePlatformGateway();
  public final ScriptedPartnerConnector partner = new ScriptedPartnerConnector();
  public final InMemoryMappings mappings = new InMemoryMappings();
  public final MutableClock clock = new MutableClock(DomainFixtures.T0);
  public final FeedSettings feedSettings = new FeedSettings(gateway);
  public final DestinationDirectory directory;
  public final FeedRouting routing;
  public final InMemoryDestinationLinks links = new InMemoryDestinationLinks();
  public final AuthenticationRouting authRouting;
  public final DirectDeliveryQueue queue;
  public final InMemoryTokenStore tokens = new InMemoryTokenStore();
  public final OAuthStates states = new OAuthStates(new byte[32], clock, Duration.ofMinutes(10));
  public final PartnerGrants grants = new PartnerGrants(tokens, clock);

  public Relay(String... destinationNames) {
    this(Map.of(), destinationNames);
  }

  /** Every destination gets these settings. */
  public Relay(Map<String, String> settings, String... destinationNames) {
    List<Destination> destinations =
        (destinationNames.length == 0 ? List.of("demo") : List.of(destinationNames))
            .stream()
                .map(
                    name ->
                        new Destination(
                            new DestinationName(name), ScriptedPartnerConnector.TYPE, settings))
                .toList();
    directory =
        new DestinationDirectory(destinations, Map.of(ScriptedPartnerConnector.TYPE, partner));
    DestinationLinks destinationLinks = new DestinationLinks(links, Map.of(), Map.of());
    routing = new FeedRouting(gateway, directory, destinationLinks);
    authRouting = new AuthenticationRouting(directory, destinationLinks);
    queue =
        new DirectDeliveryQueue(
            new AudienceDeliveryService(directory, mappings, grants, feedSettings));
  }
}

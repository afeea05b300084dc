package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.application.service.routing.DestinationDirectory.DestinationNotResolvedException;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.application.service.routing.DestinationLinks;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Chooses the destination of a request of the authentication family, which names no feed. In order:
 * the destination the request's own properties name; the one its sealed OAuth state names; the one
 * its feed destination is linked to (configured, or learned from segment creation and connection);
 * the one its plugin version is linked to in the configuration; the only destination that offers
 * the route at all. No destination offering it is the protocol's {@code not_implemented}; several,
 * with nothing to choose between them, a client error naming the settings that would.
 */
public final class AuthenticationRouting {

  /**
   * What a request says about its destination; any part may be absent.
   *
   * @param fromState the destination an OAuth state sealed by this relay names
   */
  public record Hints(
      FeedProperties properties,
      Optional<DestinationName> fromState,
      FeedDestinationId feedDestination,
      String pluginVersionId) {
    public Hints {
      properties = properties == null ? FeedProperties.none() : properties;
      fromState = fromState == null ? Optional.empty() : fromState;
    }

    public static Hints of(FeedProperties properties, String pluginVersionId) {
      return new Hints(properties, Optional.empty(), null, pluginVersionId);
    }

    public static Hints of(FeedDestinationId feedDestination, String pluginVersionId) {
      return new Hints(FeedProperties.none(), Optional.empty(), feedDestination, pluginVersionId);
    }
  }

  /** The outcome of a choice. */
  public sealed interface Choice {
    record Chosen(Route route) implements Choice {}

    /** No destination offers this route (or the one named does not). */
    record NotOffered() implements Choice {}

    /** The request names no usable destination, or several could answer; the message says why. */
    record Unresolved(String message) implements Choice {}
  }

  private final DestinationDirectory directory;
  private final DestinationLinks links;

  public AuthenticationRouting(DestinationDirectory directory, DestinationLinks links) {
    this.directory = directory;
    this.links = links;
  }

  public Choice choose(PartnerCapability capability, Hints hints) {
    return choose(capability, hints, route -> true);
  }

  /** As {@link #choose(PartnerCapability, Hints)}, among the destinations {@code among} keeps. */
  public Choice choose(PartnerCapability capability, Hints hints, Predicate<Route> among) {
    Optional<Route> named;
    try {
      named = directory.named(hints.properties());
    } catch (DestinationNotResolvedException e) {
      return new Choice.Unresolved(e.getMessage());
    }
    if (named.isEmpty()) {
      named = hints.fromState().flatMap(directory::byName);
    }
    if (named.isEmpty()) {
      named = links.ofFeedDestination(hints.feedDestination()).flatMap(directory::byName);
    }
    if (named.isEmpty()) {
      named = links.ofPluginVersion(hints.pluginVersionId()).flatMap(directory::byName);
    }
    if (named.isPresent()) {
      return named.get().offers(capability) && among.test(named.get())
          ? new Choice.Chosen(named.get())
          : new Choice.NotOffered();
    }
    List<Route> offering = offering(capability, among);
    if (offering.isEmpty()) {
      return new Choice.NotOffered();
    }
    if (offering.size() == 1) {
      return new Choice.Chosen(offering.getFirst());
    }
    return new Choice.Unresolved(ambiguity(capability, offering, hints));
  }

  /** Every destination that offers the route and that {@code among} keeps. */
  public List<Route> offering(PartnerCapability capability, Predicate<Route> among) {
    List<Route> offering = new ArrayList<>();
    for (Route route : directory.all()) {
      if (route.offers(capability) && among.test(route)) {
        offering.add(route);
      }
    }
    return offering;
  }

  private static String ambiguity(PartnerCapability capability, List<Route> offering, Hints hints) {
    StringBuilder message =
        new StringBuilder("Several destinations can answer ")
            .append(capability.route())
            .append(" (")
            .append(
                String.join(
                    ", ", offering.stream().map(r -> r.destination().name().value()).toList()))
            .append(") and the request does not say which: set the property 'destination'");
    if (hints.feedDestination() != null) {
      message
          .append(", or link feed destination ")
          .append(hints.feedDestination().value())
          .append(" under feed_destinations in the relay's configuration (creating or connecting a")
          .append(" segment with it also links it)");
    }
    if (hints.pluginVersionId() != null && !hints.pluginVersionId().isBlank()) {
      message
          .append(", or link plugin version ")
          .append(hints.pluginVersionId().strip())
          .append(" under plugin_versions in the relay's configuration");
    }
    return message.toString();
  }
}

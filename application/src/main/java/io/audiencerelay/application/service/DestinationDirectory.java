package io.audiencerelay.application.service;

import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.UserIdentifier;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The configured destinations, each paired with the partner connector of its type. Built once at
 * start-up; a destination of an unknown type, or with settings its partner refuses, stops the start
 * with a clear message.
 */
public final class DestinationDirectory {

  /** A destination and the connector that serves it. */
  public record Route(Destination destination, PartnerConnector connector) {
    /**
     * The identifiers the connector takes at this destination, in their order: the given list
     * itself when it takes them all (the usual case, so nothing is copied per change).
     */
    public List<UserIdentifier> eligible(List<UserIdentifier> identifiers) {
      for (UserIdentifier identifier : identifiers) {
        if (!connector.accepts(destination, identifier)) {
          return identifiers.stream().filter(id -> connector.accepts(destination, id)).toList();
        }
      }
      return identifiers;
    }
  }

  private final Map<DestinationName, Route> routes = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException naming the configuration key at fault
   */
  public DestinationDirectory(
      Collection<Destination> destinations, Map<String, PartnerConnector> connectorsByType) {
    for (Destination destination : destinations) {
      PartnerConnector connector = connectorsByType.get(destination.type());
      String key = "destinations." + destination.name();
      if (connector == null) {
        throw new IllegalArgumentException(
            key
                + ".type: unknown destination type '"
                + destination.type()
                + "' (known: "
                + String.join(", ", new TreeSet<>(connectorsByType.keySet()))
                + ")");
      }
      List<String> problems = connector.checkSettings(destination);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(key + "." + problems.getFirst());
      }
      routes.put(destination.name(), new Route(destination, connector));
    }
  }

  public Optional<Route> byName(DestinationName name) {
    return Optional.ofNullable(routes.get(name));
  }

  public Collection<Route> all() {
    return routes.values();
  }

  /**
   * The destination a feed's properties name in {@value FeedProperties#DESTINATION}, or the only
   * destination when exactly one is configured.
   *
   * @throws DestinationNotResolvedException with a message fit for the platform's user
   */
  public Route forProperties(FeedProperties properties) {
    Optional<String> named = properties.get(FeedProperties.DESTINATION);
    if (named.isPresent()) {
      Route route = routes.get(safeName(named.get()));
      if (route == null) {
        throw new DestinationNotResolvedException(
            "The feed property 'destination' names '"
                + named.get()
                + "', which is not a configured destination (configured: "
                + String.join(", ", routes.keySet().stream().map(DestinationName::value).toList())
                + ")");
      }
      return route;
    }
    if (routes.size() == 1) {
      return routes.values().iterator().next();
    }
    throw new DestinationNotResolvedException(
        routes.isEmpty()
            ? "No destination is configured"
            : "Several destinations are configured: set the feed property 'destination' to one of "
                + String.join(", ", routes.keySet().stream().map(DestinationName::value).toList()));
  }

  private static DestinationName safeName(String name) {
    try {
      return new DestinationName(name);
    } catch (IllegalArgumentException e) {
      throw new DestinationNotResolvedException(e.getMessage());
    }
  }

  /** The feed cannot be routed; the message explains it to the platform's user. */
  public static final class DestinationNotResolvedException extends RuntimeException {
    public DestinationNotResolvedException(String message) {
      super(message);
    }
  }
}

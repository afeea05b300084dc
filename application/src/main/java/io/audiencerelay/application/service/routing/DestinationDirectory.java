package io.audiencerelay.application.service.routing;

import io.audiencerelay.application.port.out.PartnerCapability;
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
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(DestinationDirectory.class.getName());

  /** A destination and the connector that serves it. */
  public record Route(Destination destination, PartnerConnector connector) {
    /**
     * Whether this destination answers a route of the authentication family: through the partner
     * OAuth flow the relay runs for it, or through its partner's own implementation.
     */
    public boolean offers(PartnerCapability capability) {
      if (connector.oauth(destination).isPresent() && RELAY_OAUTH.contains(capability)) {
        return true;
      }
      return connector.capabilities(destination).contains(capability);
    }

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

  /** What the relay answers itself for a destination it runs a partner OAuth flow for. */
  private static final java.util.Set<PartnerCapability> RELAY_OAUTH =
      java.util.EnumSet.of(
          PartnerCapability.AUTHENTICATION_STATUS,
          PartnerCapability.AUTHENTICATION,
          PartnerCapability.LOGOUT,
          PartnerCapability.OAUTH_REDIRECT_URL);

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
      for (String warning : connector.settingWarnings(destination)) {
        LOG.warning(() -> key + "." + warning);
      }
      for (var setting : connector.feedSettings(destination)) {
        if (setting.required() && destination.setting(setting.key()).isEmpty()) {
          LOG.info(
              () ->
                  key
                      + "."
                      + setting.key()
                      + " is not set: each feed of this destination must set the property '"
                      + setting.key()
                      + "' ("
                      + setting.meaning()
                      + ")");
        }
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

  /** Says that a name is not a configured destination, and which are. */
  public String notConfigured(Object name) {
    return "No destination '" + name + "' is configured (configured: " + names() + ")";
  }

  /** The names of the configured destinations, in their order, for messages. */
  public String names() {
    return String.join(", ", routes.keySet().stream().map(DestinationName::value).toList());
  }

  /**
   * The destination a feed's properties name in {@value FeedProperties#DESTINATION}, if they name
   * one.
   *
   * @throws DestinationNotResolvedException when they name one that is not configured
   */
  public Optional<Route> named(FeedProperties properties) {
    Optional<String> named = properties.get(FeedProperties.DESTINATION);
    if (named.isEmpty()) {
      return Optional.empty();
    }
    Route route = routes.get(safeName(named.get()));
    if (route == null) {
      throw new DestinationNotResolvedException(
          "The feed property 'destination' names '"
              + named.get()
              + "', which is not a configured destination (configured: "
              + names()
              + ")");
    }
    return Optional.of(route);
  }

  /** The only destination, when exactly one is configured. */
  public Optional<Route> only() {
    return routes.size() == 1 ? Optional.of(routes.values().iterator().next()) : Optional.empty();
  }

  /**
   * The destination a feed's properties name in {@value FeedProperties#DESTINATION}, or the only
   * destination when exactly one is configured.
   *
   * @throws DestinationNotResolvedException with a message fit for the platform's user
   */
  public Route forProperties(FeedProperties properties) {
    return named(properties)
        .or(this::only)
        .orElseThrow(
            () ->
                new DestinationNotResolvedException(
                    routes.isEmpty()
                        ? "No destination is configured"
                        : "Several destinations are configured: set the feed property 'destination' to"
                            + " one of "
                            + names()));
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

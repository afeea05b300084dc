package io.audiencerelay.application.service.routing;

import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformGateway.DataFileSettings;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.SegmentId;
import io.audiencerelay.domain.Visibility;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A destination as one feed sees it: the settings its partner lets a feed set ({@link
 * io.audiencerelay.application.port.out.PartnerConnector#feedSettings}) taken from the feed's
 * properties, then from its {@value FeedProperties#SETTINGS_FILE}, then from the destination.
 */
public final class FeedSettings {
  /** The key under which a settings file names audiences per segment id. */
  static final String AUDIENCE_NAMES = "audience_names";

  /** A destination fitted to a feed, or why it cannot be. */
  public sealed interface Fitted {
    /** The route with the feed's settings applied (the same route when the feed sets none). */
    record Ready(Route route) implements Fitted {}

    /** The feed's settings are missing or wrong; the message names the property, for its user. */
    record Invalid(String message) implements Fitted {}

    /** The platform could not be read (a data file); worth trying again later. */
    record Unavailable(String reason) implements Fitted {}
  }

  private final PlatformGateway gateway;

  public FeedSettings(PlatformGateway gateway) {
    this.gateway = gateway;
  }

  /**
   * The route a delivery to the segment uses: fitted to the segment's feed when the partner
   * audience is to be created, or when the partner reads feed settings on every delivery; else the
   * route as it is, without reading the feed.
   */
  public Fitted fitForDelivery(Route route, ExternalSegment segment, boolean creatingAudience) {
    List<FeedSetting> declared = route.connector().feedSettings(route.destination());
    boolean readNow =
        creatingAudience
            || declared.stream().anyMatch(s -> s.readAt() == FeedSetting.ReadAt.DELIVERY);
    if (declared.isEmpty() || !readNow) {
      return new Fitted.Ready(route);
    }
    Feed feed;
    try {
      feed = gateway.feed(segment.feedId());
    } catch (PlatformUnavailableException e) {
      return new Fitted.Unavailable(e.getMessage());
    }
    return fit(route, declared, feed, segment.segmentId());
  }

  /**
   * What the platform hears when a feed's settings cannot be applied: a public error, since the
   * platform's user can fix the property.
   */
  public static Failed failure(Fitted notReady) {
    return switch (notReady) {
      case Fitted.Invalid invalid -> new Failed(invalid.message(), Visibility.PUBLIC);
      case Fitted.Unavailable unavailable ->
          new Failed(
              "The platform could not be read, try again later: " + unavailable.reason(),
              Visibility.PUBLIC);
      case Fitted.Ready ready -> throw new IllegalArgumentException("the route is ready");
    };
  }

  /** The route with the feed's own settings, checked, for the given segment of the feed. */
  public Fitted fit(Route route, Feed feed, SegmentId segment) {
    return fit(route, route.connector().feedSettings(route.destination()), feed, segment);
  }

  private Fitted fit(Route route, List<FeedSetting> declared, Feed feed, SegmentId segment) {
    Destination destination = route.destination();
    if (declared.isEmpty()) {
      return new Fitted.Ready(route);
    }
    Map<String, FeedSetting> byKey = new LinkedHashMap<>();
    declared.forEach(setting -> byKey.put(setting.key(), setting));
    Map<String, String> overrides = new TreeMap<>();
    FeedProperties properties = feed.properties();
    FeedProperty file = properties.typed().get(FeedProperties.SETTINGS_FILE);
    if (file != null) {
      if (!(file instanceof FeedProperty.DataFile dataFile)) {
        return invalid(
            feed,
            "property '"
                + FeedProperties.SETTINGS_FILE
                + "' is "
                + file.type()
                + ", expected DATA_FILE");
      }
      DataFileSettings read;
      try {
        read = gateway.dataFileSettings(dataFile);
      } catch (PlatformUnavailableException e) {
        return new Fitted.Unavailable(e.getMessage());
      }
      switch (read) {
        case DataFileSettings.Unusable unusable -> {
          return invalid(
              feed, "property '" + FeedProperties.SETTINGS_FILE + "': " + unusable.reason());
        }
        case DataFileSettings.Read settings -> {
          String refused = fromFile(settings.settings(), byKey, segment, overrides);
          if (refused != null) {
            return invalid(
                feed,
                "property '"
                    + FeedProperties.SETTINGS_FILE
                    + "' sets '"
                    + refused
                    + "', which a feed cannot set at destination '"
                    + destination.name()
                    + "' (it may set: "
                    + String.join(", ", byKey.keySet())
                    + ", "
                    + AUDIENCE_NAMES
                    + ")");
          }
        }
      }
    }
    for (FeedSetting setting : declared) {
      FeedProperty property = properties.typed().get(setting.key());
      if (property == null) {
        continue;
      }
      if (property instanceof FeedProperty.Unreadable unreadable) {
        return invalid(feed, "property '" + setting.key() + "': " + unreadable.reason());
      }
      if (!writtenAsText(property)) {
        return invalid(
            feed,
            "property '"
                + setting.key()
                + "' is "
                + property.type()
                + ", expected a value written as text (STRING, URL, INT, DOUBLE or BOOLEAN)");
      }
      String value = property.text().get().strip();
      if (!value.isEmpty()) {
        overrides.put(setting.key(), value);
      }
    }
    // A segment's own name in the settings file is more specific than the feed's audience_name.
    String segmentName = overrides.remove(AUDIENCE_NAMES);
    if (segmentName != null) {
      overrides.put(FeedSetting.AUDIENCE_NAME, segmentName);
    }
    Destination fitted = destination.withSettings(overrides);
    for (FeedSetting setting : declared) {
      if (setting.required() && fitted.setting(setting.key()).isEmpty()) {
        return invalid(
            feed,
            "property '"
                + setting.key()
                + "' is required ("
                + setting.meaning()
                + "): set it on the feed, or set destinations."
                + destination.name()
                + "."
                + setting.key());
      }
    }
    if (overrides.isEmpty()) {
      return new Fitted.Ready(route);
    }
    List<String> problems = route.connector().checkSettings(fitted);
    if (!problems.isEmpty()) {
      return invalid(feed, "property " + problems.getFirst());
    }
    return new Fitted.Ready(new Route(fitted, route.connector()));
  }

  /**
   * Copies the file's settings a feed may set into {@code overrides}, and the segment's audience
   * name under {@value #AUDIENCE_NAMES}; answers the first key it may not set, or null.
   */
  private static String fromFile(
      Map<String, String> settings,
      Map<String, FeedSetting> declared,
      SegmentId segment,
      Map<String, String> overrides) {
    String audienceNamePrefix = AUDIENCE_NAMES + ".";
    for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(audienceNamePrefix)) {
        if (!declared.containsKey(FeedSetting.AUDIENCE_NAME)) {
          return AUDIENCE_NAMES;
        }
        if (key.substring(audienceNamePrefix.length()).equals(segment.value())) {
          overrides.put(AUDIENCE_NAMES, entry.getValue());
        }
      } else if (declared.containsKey(key)) {
        overrides.putIfAbsent(key, entry.getValue());
      } else {
        return key;
      }
    }
    return null;
  }

  private static boolean writtenAsText(FeedProperty property) {
    return switch (property) {
      case FeedProperty.Text t -> true;
      case FeedProperty.Link l -> true;
      case FeedProperty.WholeNumber n -> true;
      case FeedProperty.Decimal d -> true;
      case FeedProperty.Flag f -> true;
      default -> false;
    };
  }

  private static Fitted invalid(Feed feed, String problem) {
    return new Fitted.Invalid("Feed " + feed.id() + ": " + problem);
  }
}

package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where updates go: {@code destinations} (each with its partner type, settings and delivery
 * limits), the static {@code feeds} and their properties, and the links from platform ids to
 * destinations ({@code feed_destinations}, {@code plugin_versions}).
 */
final class DestinationsSection {
  private final ConfigValues values;
  private final DeliverySection deliverySection;

  DestinationsSection(ConfigValues values, DeliverySection deliverySection) {
    this.values = values;
    this.deliverySection = deliverySection;
  }

  /**
   * {@code queued} (the default: each update is queued when it arrives) or {@code batched} (the
   * platform gathers updates into batches it posts to {@code batch_update}).
   */
  String feedMode(JsonNode node, String key, String otherwise) {
    String mode = node.isMissingNode() ? null : values.scalar(node, key);
    if (mode == null) {
      return otherwise;
    }
    if (!mode.equals(Destination.QUEUED) && !mode.equals(Destination.BATCHED)) {
      throw new ConfigException(
          key
              + ": must be "
              + Destination.QUEUED
              + " (each update queued as it arrives) or "
              + Destination.BATCHED
              + " (the platform batches updates for batch_update), got '"
              + mode
              + "'");
    }
    return mode;
  }

  List<Destination> destinations(
      JsonNode destinations,
      DeliverySettings defaults,
      Map<DestinationName, DeliverySettings> delivery,
      String defaultFeedMode) {
    if (destinations.isMissingNode() || destinations.isNull()) {
      throw new ConfigException("destinations: at least one destination is required");
    }
    if (!destinations.isObject() || destinations.isEmpty()) {
      throw new ConfigException("destinations: must map destination names to their settings");
    }
    List<Destination> result = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = destinations.fields(); it.hasNext(); ) {
      var entry = it.next();
      String key = "destinations." + entry.getKey();
      DestinationName name;
      try {
        name = new DestinationName(entry.getKey());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
      JsonNode body = entry.getValue();
      if (!body.isObject()) {
        throw new ConfigException(key + ": must be a mapping with at least 'type'");
      }
      Map<String, String> settings = new LinkedHashMap<>();
      String type = null;
      for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
        var field = fields.next();
        if (field.getKey().equals("delivery")) {
          delivery.put(
              name, deliverySection.delivery(field.getValue(), key + ".delivery", defaults));
          continue;
        }
        String value = values.scalar(field.getValue(), key + "." + field.getKey());
        if (field.getKey().equals(Destination.FEED_MODE)) {
          value = feedMode(field.getValue(), key + "." + Destination.FEED_MODE, defaultFeedMode);
        }
        if (field.getKey().equals("type")) {
          type = value;
        } else if (value != null) {
          settings.put(field.getKey(), value);
        }
      }
      if (type == null || type.isBlank()) {
        throw new ConfigException(key + ".type: is required (for example 'file')");
      }
      if (defaultFeedMode.equals(Destination.BATCHED)) {
        settings.putIfAbsent(Destination.FEED_MODE, Destination.BATCHED);
      }
      result.add(new Destination(name, type, settings));
      delivery.putIfAbsent(name, defaults);
    }
    return result;
  }

  Map<FeedId, FeedProperties> feeds(JsonNode feeds) {
    if (feeds.isMissingNode() || feeds.isNull()) {
      return Map.of();
    }
    if (!feeds.isObject()) {
      throw new ConfigException("feeds: must map feed ids to their properties");
    }
    Map<FeedId, FeedProperties> result = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = feeds.fields(); it.hasNext(); ) {
      var entry = it.next();
      String key = "feeds." + entry.getKey();
      JsonNode body = entry.getValue();
      for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("properties")) {
          throw new ConfigException(key + "." + name + ": unknown key (known: properties)");
        }
      }
      JsonNode properties = body.path("properties");
      if (!properties.isObject()) {
        throw new ConfigException(key + ".properties: must map property names to values");
      }
      Map<String, FeedProperty> read = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> props = properties.fields(); props.hasNext(); ) {
        var property = props.next();
        FeedProperty value =
            property(property.getValue(), key + ".properties." + property.getKey());
        if (value != null) {
          read.put(property.getKey(), value);
        }
      }
      result.put(new FeedId(entry.getKey()), FeedProperties.typed(read));
    }
    return result;
  }

  /**
   * A static feed's property, typed as the platform would type it: text is {@code STRING}, a whole
   * number {@code INT}, a decimal {@code DOUBLE}, true or false {@code BOOLEAN}; {@code {url: …}}
   * is a {@code URL} and {@code {data_file: mics://…, last_modified: …}} a {@code DATA_FILE}.
   */
  private FeedProperty property(JsonNode node, String where) {
    if (node.isIntegralNumber()) {
      return new FeedProperty.WholeNumber(node.asLong());
    }
    if (node.isNumber()) {
      return new FeedProperty.Decimal(node.asDouble());
    }
    if (node.isBoolean()) {
      return new FeedProperty.Flag(node.asBoolean());
    }
    if (node.isObject()) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!Set.of("url", "data_file", "last_modified").contains(name)) {
          throw new ConfigException(
              where + "." + name + ": unknown key (known: url, data_file, last_modified)");
        }
      }
      if (node.has("url")) {
        return new FeedProperty.Link(values.scalar(node.get("url"), where + ".url"));
      }
      if (node.has("data_file")) {
        JsonNode modified = node.path("last_modified");
        if (!modified.isMissingNode() && !modified.isIntegralNumber()) {
          throw new ConfigException(where + ".last_modified: must be a time in epoch milliseconds");
        }
        return new FeedProperty.DataFile(
            values.scalar(node.get("data_file"), where + ".data_file"),
            modified.isMissingNode() ? null : modified.asLong());
      }
      throw new ConfigException(where + ": an object property needs url or data_file");
    }
    String text = values.scalar(node, where);
    return text == null ? null : new FeedProperty.Text(text);
  }

  /**
   * A mapping of platform ids (feed destinations, plugin versions) to configured destinations, with
   * which the authentication routes find their destination when several are configured.
   */
  Map<String, DestinationName> links(JsonNode node, String key, List<Destination> destinations) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new ConfigException(key + ": must map platform ids to destination names");
    }
    Map<String, DestinationName> links = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var entry = it.next();
      String id = entry.getKey().strip();
      if (id.isEmpty()) {
        throw new ConfigException(key + ": an id must not be blank");
      }
      links.put(id, values.destinationFor(entry.getValue(), key + "." + id, destinations));
    }
    return links;
  }
}

package io.audiencerelay.adapters.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the gateway's {@code PluginProperty} list into typed feed properties. A property whose
 * value is absent or {@code null} (the wire allows both) is left out; one whose value does not fit
 * its {@code property_type} is kept as {@link FeedProperty.Unreadable} with the reason; a type the
 * relay does not read is kept as {@link FeedProperty.Other}.
 */
final class PluginProperties {
  private PluginProperties() {}

  static FeedProperties read(JsonNode list) {
    Map<String, FeedProperty> typed = new LinkedHashMap<>();
    if (list == null || !list.isArray()) {
      return FeedProperties.none();
    }
    for (JsonNode property : list) {
      JsonNode name = property.get("technical_name");
      JsonNode value = property.get("value");
      if (name == null || !name.isTextual() || value == null || !value.isObject()) {
        continue;
      }
      JsonNode type = property.get("property_type");
      FeedProperty read =
          type != null && type.isTextual() ? read(type.asText(), value) : untyped(value);
      if (read != null) {
        typed.put(name.asText(), read);
      }
    }
    return FeedProperties.typed(typed);
  }

  /** The property, or null when its value is absent. */
  private static FeedProperty read(String type, JsonNode value) {
    return switch (type) {
      case "STRING" -> text(type, value.get("value"));
      case "URL" -> {
        JsonNode url = value.get("url");
        if (absent(url)) {
          yield null;
        }
        yield url.isTextual()
            ? new FeedProperty.Link(url.asText())
            : unreadable(type, "url is " + kind(url) + ", expected text");
      }
      case "INT" -> {
        JsonNode number = value.get("value");
        if (absent(number)) {
          yield null;
        }
        yield number.isIntegralNumber() && number.canConvertToLong()
            ? new FeedProperty.WholeNumber(number.asLong())
            : unreadable(type, "value " + number + " is not a whole number");
      }
      case "DOUBLE" -> {
        JsonNode number = value.get("value");
        if (absent(number)) {
          yield null;
        }
        yield number.isNumber() && Double.isFinite(number.asDouble())
            ? new FeedProperty.Decimal(number.asDouble())
            : unreadable(type, "value " + number + " is not a number");
      }
      case "BOOLEAN" -> {
        JsonNode flag = value.get("value");
        if (absent(flag)) {
          yield null;
        }
        yield flag.isBoolean()
            ? new FeedProperty.Flag(flag.asBoolean())
            : unreadable(type, "value " + flag + " is not true or false");
      }
      case "ASSET", "ASSET_FILE" ->
          new FeedProperty.Asset(
              type,
              optionalText(value.get("asset_id")),
              optionalText(value.get("file_path")),
              optionalText(value.get("original_file_name")));
      case "DATA_FILE" -> {
        JsonNode uri = value.get("uri");
        if (absent(uri)) {
          yield null;
        }
        if (!uri.isTextual()) {
          yield unreadable(type, "uri is " + kind(uri) + ", expected text");
        }
        JsonNode modified = value.get("last_modified");
        if (!absent(modified) && !modified.isIntegralNumber()) {
          yield unreadable(type, "last_modified " + modified + " is not a time in milliseconds");
        }
        yield new FeedProperty.DataFile(uri.asText(), absent(modified) ? null : modified.asLong());
      }
      default -> new FeedProperty.Other(type);
    };
  }

  private static FeedProperty text(String type, JsonNode text) {
    if (absent(text)) {
      return null;
    }
    return text.isTextual()
        ? new FeedProperty.Text(text.asText())
        : unreadable(type, "value is " + kind(text) + ", expected text");
  }

  /** Without a type (older gateways): the text of {@code value}, {@code url} or {@code uri}. */
  private static FeedProperty untyped(JsonNode value) {
    for (String field : new String[] {"value", "url", "uri"}) {
      JsonNode node = value.get(field);
      if (node != null && node.isValueNode() && !node.isNull()) {
        return new FeedProperty.Text(node.asText());
      }
    }
    return null;
  }

  private static FeedProperty unreadable(String type, String reason) {
    return new FeedProperty.Unreadable(type, reason);
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private static String optionalText(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}

package io.audiencerelay.adapters.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.application.port.out.PlatformGateway.DataFileSettings;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a data file as settings: a JSON object whose values are text, numbers or booleans, with one
 * level of nested objects (for example {@code "audience_names": {"84213": "Cart"}}), flattened to
 * {@code audience_names.84213}.
 */
final class DataFiles {
  /**
   * The largest data file read: settings and a name per segment fit in kilobytes, and the file is
   * held in memory and cached.
   */
  static final int MAX_BYTES = 1 << 20;

  /** Settings one file may hold: a bound on what the cache keeps per file. */
  static final int MAX_SETTINGS = 10_000;

  private DataFiles() {}

  static DataFileSettings settings(byte[] bytes, ObjectMapper mapper) {
    if (bytes.length > MAX_BYTES) {
      return tooLarge();
    }
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return new DataFileSettings.Unusable(
          "the data file is not JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      return new DataFileSettings.Unusable("the data file cannot be read");
    }
    if (root == null || !root.isObject()) {
      return new DataFileSettings.Unusable("the data file must hold a JSON object of settings");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      var field = it.next();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> inner = value.fields(); inner.hasNext(); ) {
          var nested = inner.next();
          String key = field.getKey() + "." + nested.getKey();
          if (!scalar(nested.getValue())) {
            return notScalar(key);
          }
          settings.put(key, nested.getValue().asText());
        }
      } else if (scalar(value)) {
        settings.put(field.getKey(), value.asText());
      } else if (!value.isNull()) {
        return notScalar(field.getKey());
      }
      if (settings.size() > MAX_SETTINGS) {
        return new DataFileSettings.Unusable(
            "the data file holds more than " + MAX_SETTINGS + " settings");
      }
    }
    return new DataFileSettings.Read(settings);
  }

  /** A file past {@link #MAX_BYTES}, however it was found to be. */
  static DataFileSettings.Unusable tooLarge() {
    return new DataFileSettings.Unusable(
        "the data file is larger than " + (MAX_BYTES >> 10) + " KiB");
  }

  private static boolean scalar(JsonNode value) {
    return value.isTextual() || value.isNumber() || value.isBoolean();
  }

  private static DataFileSettings notScalar(String key) {
    return new DataFileSettings.Unusable(
        "'" + key + "' must be text, a number or a boolean (objects nest one level only)");
  }
}

package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.adapters.http.in.synced.ResponseTemplate;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentParser;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentPresets;
import io.audiencerelay.adapters.http.in.synced.SyncedSegmentSource;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The external sources besides the platform: {@code mapp} and {@code synced_segments}. */
final class SourcesSection {
  private static final Set<String> SYNCED_KEYS =
      Set.of("token", "destination", "preset", "parser", "response_template");
  private static final Set<String> MAPP_KEYS =
      Set.of(
          "secret",
          "destination",
          "basic_auth_user",
          "basic_auth_password",
          "sign_validate",
          "allow_unsigned");

  private final ConfigValues values;

  SourcesSection(ConfigValues values) {
    this.values = values;
  }

  /** Off unless configured; when on, signed unless the user opts out in so many words. */
  Optional<MappSettings> mapp(JsonNode mapp, List<Destination> destinations) {
    if (mapp.isMissingNode() || mapp.isNull()) {
      return Optional.empty();
    }
    ConfigValues.checkKeys(mapp, "mapp", MAPP_KEYS);
    String secret =
        values.text(mapp.path("secret"), "mapp.secret").filter(v -> !v.isBlank()).orElse(null);
    boolean allowUnsigned = values.flag(mapp.path("allow_unsigned"), "mapp.allow_unsigned");
    if (secret == null && !allowUnsigned) {
      throw new ConfigException(
          "mapp.secret: is required (the X-HMAC key shared with Mapp); set mapp.allow_unsigned: true to run without"
              + " one");
    }
    String user = values.text(mapp.path("basic_auth_user"), "mapp.basic_auth_user").orElse(null);
    String password =
        values.text(mapp.path("basic_auth_password"), "mapp.basic_auth_password").orElse(null);
    if ((user == null) != (password == null)) {
      throw new ConfigException(
          "mapp.basic_auth_password: basic_auth_user and basic_auth_password go together");
    }
    DestinationName destination =
        values.destinationFor(mapp.path("destination"), "mapp.destination", destinations);
    return Optional.of(
        new MappSettings(
            secret,
            user,
            password,
            destination,
            values.flag(mapp.path("sign_validate"), "mapp.sign_validate")));
  }

  /**
   * Each sender by integration key: a token always, a destination, and a preset or explicit
   * pointers.
   */
  List<SyncedSegmentSource> syncedSegments(JsonNode node, List<Destination> destinations) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isObject()) {
      throw new ConfigException("synced_segments: must map integration keys to their settings");
    }
    List<SyncedSegmentSource> sources = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var entry = it.next();
      String key = "synced_segments." + entry.getKey();
      JsonNode source = entry.getValue();
      ConfigValues.checkKeys(source, key, SYNCED_KEYS);
      String token =
          values
              .text(source.path("token"), key + ".token")
              .filter(t -> !t.isBlank())
              .orElseThrow(
                  () ->
                      new ConfigException(key + ".token: is required (the sender's access token)"));
      DestinationName destination =
          values.destinationFor(source.path("destination"), key + ".destination", destinations);
      SyncedSegmentParser parser;
      JsonNode pointers = source.path("parser");
      Optional<String> preset = values.text(source.path("preset"), key + ".preset");
      if (!pointers.isMissingNode() && !pointers.isNull()) {
        if (preset.isPresent()) {
          throw new ConfigException(key + ": give either preset or parser, not both");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        flatten(pointers, "", settings, key + ".parser");
        try {
          parser = SyncedSegmentParser.fromSettings(settings);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key + ".parser: " + e.getMessage());
        }
      } else {
        String name = preset.orElse(entry.getKey()).toLowerCase(java.util.Locale.ROOT);
        parser = SyncedSegmentPresets.parsers().get(name);
        if (parser == null) {
          throw new ConfigException(
              key
                  + ".preset: '"
                  + name
                  + "' is not a built-in preset (known: "
                  + String.join(
                      ", ", new java.util.TreeSet<>(SyncedSegmentPresets.parsers().keySet()))
                  + "); or give parser pointers");
        }
      }
      ResponseTemplate template = null;
      Optional<String> templateText =
          values.text(source.path("response_template"), key + ".response_template");
      if (templateText.isEmpty() && (pointers.isMissingNode() || pointers.isNull())) {
        // A preset whose manifest defines an answer gives it, as LaunchDarkly does for that sender.
        templateText =
            SyncedSegmentPresets.response(
                preset.orElse(entry.getKey()).toLowerCase(java.util.Locale.ROOT));
      }
      if (templateText.isPresent()) {
        try {
          template = new ResponseTemplate(templateText.get());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key + ".response_template: " + e.getMessage());
        }
      }
      sources.add(new SyncedSegmentSource(entry.getKey(), token, destination, parser, template));
    }
    return sources;
  }

  private static void flatten(JsonNode node, String prefix, Map<String, String> into, String key) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      String name = prefix + field.getKey();
      if (field.getValue().isObject()) {
        flatten(field.getValue(), name + ".", into, key);
      } else if (field.getValue().isValueNode()) {
        into.put(name, field.getValue().asText());
      } else {
        throw new ConfigException(key + "." + name + ": must be a JSON pointer or a mapping");
      }
    }
  }
}

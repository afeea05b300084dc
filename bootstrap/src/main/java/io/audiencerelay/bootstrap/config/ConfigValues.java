package io.audiencerelay.bootstrap.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading one value of the configuration: text with {@code ${VAR}} references replaced from the
 * environment, bounded numbers, flags, known keys, a destination name. Every refusal is a {@link
 * ConfigException} naming the key.
 */
final class ConfigValues {
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> env;

  ConfigValues(Map<String, String> env) {
    this.env = env;
  }

  /** An environment variable, blank treated as unset. */
  Optional<String> env(String variable) {
    return Optional.ofNullable(blankToNull(env.get(variable)));
  }

  /** An environment variable as given, or null. */
  String rawEnv(String variable) {
    return env.get(variable);
  }

  /** A scalar as text with {@code ${VAR}} references replaced; null for YAML null. */
  String scalar(JsonNode node, String key) {
    if (node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new ConfigException(key + ": must be a single value, not a list or mapping");
    }
    return expand(node.asText(), key);
  }

  private String expand(String value, String key) {
    Matcher matcher = ENV_REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String replacement = env.get(variable);
      if (replacement == null) {
        throw new ConfigException(
            key + ": refers to ${" + variable + "}, which is not set in the environment");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  Optional<String> text(JsonNode node, String key) {
    return node.isMissingNode() || node.isNull()
        ? Optional.empty()
        : Optional.of(scalar(node, key));
  }

  Optional<Boolean> bool(JsonNode node, String key) {
    return text(node, key)
        .map(
            value ->
                switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                  case "true" -> true;
                  case "false" -> false;
                  default ->
                      throw new ConfigException(
                          key + ": must be true or false, got '" + value + "'");
                });
  }

  Optional<Long> number(JsonNode node, String key, long min, long max) {
    return text(node, key).map(value -> number(value, key, min, max));
  }

  static long number(String value, String key, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": must be a whole number, got '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(
          key + ": must be between " + min + " and " + max + ", got " + parsed);
    }
    return parsed;
  }

  /** True or false (yes or no); unset is false. */
  boolean flag(JsonNode node, String key) {
    Optional<String> value = text(node, key);
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.get().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default ->
          throw new ConfigException(key + ": must be true or false, got '" + value.get() + "'");
    };
  }

  /** A mapping whose keys are all known; missing or null is fine. */
  static void checkKeys(JsonNode node, String key, Set<String> known) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(key + ": must be a mapping");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new ConfigException(
            key
                + "."
                + name
                + ": unknown key (known: "
                + String.join(", ", new TreeSet<>(known))
                + ")");
      }
    }
  }

  /** The destination a section names, or the only one; required when there are several. */
  DestinationName destinationFor(JsonNode node, String key, List<Destination> destinations) {
    Optional<String> named = text(node, key);
    if (named.isPresent()) {
      DestinationName name = new DestinationName(named.get());
      if (destinations.stream().noneMatch(d -> d.name().equals(name))) {
        throw new ConfigException(key + ": '" + named.get() + "' is not a configured destination");
      }
      return name;
    }
    if (destinations.size() == 1) {
      return destinations.getFirst().name();
    }
    throw new ConfigException(key + ": is required when several destinations are configured");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}

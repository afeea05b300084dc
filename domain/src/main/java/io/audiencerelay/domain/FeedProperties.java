package io.audiencerelay.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A feed's plugin properties, by technical name: {@code typed} as the platform typed them, and
 * {@code values} their text (for the properties read as text: names, ids, URLs, numbers).
 */
public record FeedProperties(Map<String, String> values, Map<String, FeedProperty> typed) {
  public static final String DESTINATION = "destination";

  /**
   * The {@code DATA_FILE} property whose JSON object sets feed settings, and names audiences per
   * segment under {@code audience_names}.
   */
  public static final String SETTINGS_FILE = "settings_file";

  public FeedProperties {
    values = Map.copyOf(Require.present(values, "properties"));
    typed = Map.copyOf(Require.present(typed, "typed properties"));
  }

  /** Properties that are all text ({@code STRING}). */
  public FeedProperties(Map<String, String> values) {
    this(values, texts(values));
  }

  /** Properties as the platform typed them; their text view follows. */
  public static FeedProperties typed(Map<String, FeedProperty> typed) {
    Map<String, String> values = new LinkedHashMap<>();
    typed.forEach((name, property) -> property.text().ifPresent(text -> values.put(name, text)));
    return new FeedProperties(values, typed);
  }

  public static FeedProperties none() {
    return new FeedProperties(Map.of(), Map.of());
  }

  private static Map<String, FeedProperty> texts(Map<String, String> values) {
    Map<String, FeedProperty> typed = new LinkedHashMap<>();
    Require.present(values, "properties")
        .forEach((name, text) -> typed.put(name, new FeedProperty.Text(text)));
    return typed;
  }

  /** The property's text, stripped; absent when it is missing, blank or not read as text. */
  public Optional<String> get(String technicalName) {
    return Optional.ofNullable(values.get(technicalName))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }

  /**
   * The property as {@code kind}, when the feed has it.
   *
   * @throws IllegalArgumentException when the feed has it with another type, or a value its type
   *     cannot hold: the message names the property, what it is and what was expected
   */
  public <P extends FeedProperty> Optional<P> get(String technicalName, Class<P> kind) {
    FeedProperty property = typed.get(technicalName);
    if (property == null) {
      return Optional.empty();
    }
    if (property instanceof FeedProperty.Unreadable unreadable) {
      throw new IllegalArgumentException(
          "feed property '"
              + technicalName
              + "' ("
              + unreadable.type()
              + "): "
              + unreadable.reason());
    }
    if (!kind.isInstance(property)) {
      throw new IllegalArgumentException(
          "feed property '"
              + technicalName
              + "' is "
              + property.type()
              + ", expected "
              + typeName(kind));
    }
    return Optional.of(kind.cast(property));
  }

  private static String typeName(Class<? extends FeedProperty> kind) {
    return switch (kind.getSimpleName()) {
      case "Text" -> "STRING";
      case "Link" -> "URL";
      case "WholeNumber" -> "INT";
      case "Decimal" -> "DOUBLE";
      case "Flag" -> "BOOLEAN";
      case "Asset" -> "ASSET";
      case "DataFile" -> "DATA_FILE";
      default -> kind.getSimpleName();
    };
  }
}

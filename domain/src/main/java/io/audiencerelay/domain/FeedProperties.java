package io.audiencerelay.domain;

import java.util.Map;
import java.util.Optional;

/** A feed's plugin properties, by technical name, with their values as text. */
public record FeedProperties(Map<String, String> values) {
  public static final String DESTINATION = "destination";

  public FeedProperties {
    values = Map.copyOf(Require.present(values, "properties"));
  }

  public static FeedProperties none() {
    return new FeedProperties(Map.of());
  }

  public Optional<String> get(String technicalName) {
    return Optional.ofNullable(values.get(technicalName))
        .map(String::strip)
        .filter(s -> !s.isEmpty());
  }
}

package io.audiencerelay.application.port.in;

import java.util.List;

/** Choices for feed properties whose values depend on the partner account. */
public sealed interface DynamicPropertyValuesResult
    permits DynamicPropertyValuesResult.Values,
        DynamicPropertyValuesResult.Empty,
        Failed,
        NotImplemented,
        Unroutable {
  record Values(List<PropertyChoices> properties) implements DynamicPropertyValuesResult {
    public Values {
      properties = List.copyOf(properties);
    }
  }

  /** Nothing to offer; the message says why to the user. */
  record Empty(String message) implements DynamicPropertyValuesResult {}

  record PropertyChoices(String technicalName, List<Choice> choices) {
    public PropertyChoices {
      technicalName =
          io.audiencerelay.domain.Require.nonBlank(technicalName, "property technical name");
      choices = List.copyOf(choices);
    }
  }

  record Choice(String label, String value) {}
}

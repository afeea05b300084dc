package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.Require;
import java.util.List;

/** The values a partner offers for feed properties that depend on the user's account. */
public sealed interface AccountChoices {

  record Offered(List<Property> properties) implements AccountChoices {
    public Offered {
      properties = List.copyOf(Require.present(properties, "properties"));
    }
  }

  /** Nothing to offer; the message tells the user why. */
  record NoneFor(String message) implements AccountChoices {
    public NoneFor {
      message = Require.nonBlank(message, "message");
    }
  }

  record Property(String technicalName, List<Choice> choices) {
    public Property {
      technicalName = Require.nonBlank(technicalName, "property technical name");
      choices = List.copyOf(Require.present(choices, "choices"));
    }
  }

  record Choice(String label, String value) {}
}

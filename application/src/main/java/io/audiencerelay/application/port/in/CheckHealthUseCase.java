package io.audiencerelay.application.port.in;

import java.util.List;

/** Can the relay accept updates and deliver them? Asked by the platform's status route. */
public interface CheckHealthUseCase {
  Health check();

  /** The relay's health. */
  sealed interface Health {
    record Serving() implements Health {}

    /**
     * A part the relay cannot work without has stopped (a background thread died): accepted updates
     * would not be stored or delivered. The process should be restarted.
     *
     * @param problems each part that stopped, and why
     */
    record Failing(List<String> problems) implements Health {
      public Failing {
        problems = List.copyOf(problems);
        if (problems.isEmpty()) {
          throw new IllegalArgumentException("a failing relay names at least one problem");
        }
      }
    }
  }
}

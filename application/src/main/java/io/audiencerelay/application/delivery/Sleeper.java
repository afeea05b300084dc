package io.audiencerelay.application.delivery;

import java.time.Duration;

/**
 * Waits. Injected with the {@link java.time.Clock}, so that tests move a fake clock instead of
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** The thread's own sleep. */
  static Sleeper system() {
    return duration -> {
      if (duration.isPositive()) {
        Thread.sleep(duration);
      }
    };
  }
}

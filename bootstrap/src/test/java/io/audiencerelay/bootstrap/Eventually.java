package io.audiencerelay.bootstrap;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Polls an assertion until it holds or a deadline passes; the last failure is reported. */
final class Eventually {
  interface Check {
    void run() throws Exception;
  }

  private Eventually() {}

  static void within(Duration deadline, Check check) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | Exception e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      }
    }
  }
}

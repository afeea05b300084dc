package io.audiencerelay.bootstrap.observability;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Routes all JDK logging (the relay's and Helidon's) to standard error as JSON lines. */
public final class Logging {
  private Logging() {}

  public static void install() {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new JsonLogFormatter());
    console.setLevel(Level.ALL); // the root logger's level filters; /v1/log_level changes it
    root.addHandler(console);
    root.setLevel(Level.INFO);
  }
}

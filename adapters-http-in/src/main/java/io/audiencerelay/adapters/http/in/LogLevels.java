package io.audiencerelay.adapters.http.in;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log level behind {@code /v1/log_level}, named with the SDK's (winston's) level names and
 * applied to the JDK logging root, so the relay's and the server's loggers follow it.
 */
public final class LogLevels {
  private static final Map<String, Level> LEVELS =
      Map.of(
          "error", Level.SEVERE,
          "warn", Level.WARNING,
          "info", Level.INFO,
          "http", Level.CONFIG,
          "verbose", Level.FINE,
          "debug", Level.FINER,
          "silly", Level.FINEST);

  private volatile String current = "info";

  /** The current level, upper-cased as the SDK reports it. */
  public String current() {
    return current.toUpperCase(Locale.ROOT);
  }

  /**
   * Applies a level given by name, in any case.
   *
   * @return false when the name is not a known level (then nothing changes)
   */
  public boolean set(String name) {
    String key = name.strip().toLowerCase(Locale.ROOT);
    Level level = LEVELS.get(key);
    if (level == null) {
      return false;
    }
    Logger.getLogger("").setLevel(level);
    current = key;
    return true;
  }

  public static String knownNames() {
    return "error, warn, info, http, verbose, debug, silly";
  }
}

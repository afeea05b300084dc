package io.audiencerelay.bootstrap.observability;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that its own shutdown hook does not close the handlers: the relay's
 * shutdown runs in a hook too, and its last lines (what it drained, that it stopped) must still be
 * written.
 */
public final class RelayLogManager extends LogManager {
  private static final String JDK_CLEANER = "java.util.logging.LogManager$Cleaner";

  @Override
  public void reset() {
    if (!Thread.currentThread().getClass().getName().equals(JDK_CLEANER)) {
      super.reset();
    }
  }
}

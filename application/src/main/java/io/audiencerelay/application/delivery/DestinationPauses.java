package io.audiencerelay.application.delivery;

import io.audiencerelay.application.port.out.PauseStore;
import io.audiencerelay.application.port.out.PauseStore.Pause;
import io.audiencerelay.domain.DestinationName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which destinations an operator paused, read from the {@link PauseStore} at most once a {@link
 * #REFRESH}: workers ask on every cycle, and a pause made at another relay sharing the store takes
 * effect here within that time.
 */
public final class DestinationPauses {
  private static final Logger LOG = Logger.getLogger(DestinationPauses.class.getName());

  /** How stale the view of the store may be. */
  public static final Duration REFRESH = Duration.ofSeconds(1);

  /** For a relay with nothing paused and nowhere to keep pauses (tests, tools). */
  public static final DestinationPauses NONE = new DestinationPauses(null, Clock.systemUTC());

  private final PauseStore store;
  private final Clock clock;
  private volatile Map<DestinationName, Pause> known = Map.of();
  private volatile Instant readAt = Instant.MIN;

  public DestinationPauses(PauseStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public boolean paused(DestinationName destination) {
    return current().containsKey(destination);
  }

  public Optional<Pause> pauseOf(DestinationName destination) {
    return Optional.ofNullable(current().get(destination));
  }

  /** Pauses the destination at every relay sharing the store. */
  public void pause(DestinationName destination, String by) {
    requireStore().pause(new Pause(destination, clock.instant(), by));
    reload();
  }

  /** Resumes the destination; answers whether it was paused. */
  public boolean resume(DestinationName destination) {
    boolean was = requireStore().resume(destination);
    reload();
    return was;
  }

  private Map<DestinationName, Pause> current() {
    if (store != null && !clock.instant().isBefore(readAt.plus(REFRESH))) {
      reload();
    }
    return known;
  }

  private synchronized void reload() {
    try {
      known = Map.copyOf(store.paused());
    } catch (RuntimeException e) {
      // Keep the last view: a store that cannot be read must not stop or start deliveries.
      LOG.log(Level.WARNING, "cannot read the paused destinations; keeping the last view", e);
    }
    readAt = clock.instant();
  }

  private PauseStore requireStore() {
    if (store == null) {
      throw new IllegalStateException("this relay keeps no pauses");
    }
    return store;
  }
}

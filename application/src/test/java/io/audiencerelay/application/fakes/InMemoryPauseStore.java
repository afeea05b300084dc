package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.PauseStore;
import io.audiencerelay.domain.DestinationName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Pauses held in a map. */
public final class InMemoryPauseStore implements PauseStore {
  private final Map<DestinationName, Pause> pauses = new ConcurrentHashMap<>();

  @Override
  public Map<DestinationName, Pause> paused() {
    return Map.copyOf(pauses);
  }

  @Override
  public void pause(Pause pause) {
    pauses.putIfAbsent(pause.destination(), pause);
  }

  @Override
  public boolean resume(DestinationName destination) {
    return pauses.remove(destination) != null;
  }
}

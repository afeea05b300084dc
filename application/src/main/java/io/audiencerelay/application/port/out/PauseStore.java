package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.Require;
import java.time.Instant;
import java.util.Map;

/**
 * The destinations an operator paused, kept where every relay sharing the queue sees them: a paused
 * destination keeps accepting updates and delivers none until resumed.
 */
public interface PauseStore {

  /** Every paused destination. */
  Map<DestinationName, Pause> paused();

  /** Pauses the destination; pausing it again keeps the first pause. */
  void pause(Pause pause);

  /** Resumes the destination; answers whether it was paused. */
  boolean resume(DestinationName destination);

  /**
   * @param by who paused it, as the admin listener knows them
   */
  record Pause(DestinationName destination, Instant at, String by) {
    public Pause {
      Require.present(destination, "destination");
      Require.present(at, "at");
      by = Require.nonBlank(by, "by");
    }
  }
}

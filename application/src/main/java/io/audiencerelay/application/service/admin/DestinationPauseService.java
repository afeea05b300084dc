package io.audiencerelay.application.service.admin;

import io.audiencerelay.application.delivery.DestinationPauses;
import io.audiencerelay.application.port.in.admin.AdminActionResult;
import io.audiencerelay.application.port.in.admin.PauseDestinationUseCase;
import io.audiencerelay.application.port.in.admin.ResumeDestinationUseCase;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.domain.DestinationName;
import java.util.Optional;
import java.util.logging.Logger;

/** Pauses and resumes a destination's deliveries, logged with who asked. */
public final class DestinationPauseService
    implements PauseDestinationUseCase, ResumeDestinationUseCase {
  private static final Logger LOG = Logger.getLogger(DestinationPauseService.class.getName());

  private final DestinationPauses pauses;
  private final DestinationDirectory directory;

  public DestinationPauseService(DestinationPauses pauses, DestinationDirectory directory) {
    this.pauses = pauses;
    this.directory = directory;
  }

  @Override
  public AdminActionResult pause(String destination, String actor) {
    Optional<DestinationName> name = configured(destination);
    if (name.isEmpty()) {
      return unknown(destination);
    }
    pauses.pause(name.get(), actor);
    LOG.info(() -> "admin " + actor + " paused destination '" + destination + "'");
    return new AdminActionResult.Done(
        1, "Destination '" + destination + "' paused: updates are accepted, none is delivered");
  }

  @Override
  public AdminActionResult resume(String destination, String actor) {
    Optional<DestinationName> name = configured(destination);
    if (name.isEmpty()) {
      return unknown(destination);
    }
    boolean was = pauses.resume(name.get());
    LOG.info(() -> "admin " + actor + " resumed destination '" + destination + "'");
    return new AdminActionResult.Done(
        was ? 1 : 0,
        was
            ? "Destination '" + destination + "' resumed"
            : "Destination '" + destination + "' was not paused");
  }

  private Optional<DestinationName> configured(String destination) {
    try {
      DestinationName name = new DestinationName(destination);
      return directory.byName(name).map(route -> name);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private AdminActionResult unknown(String destination) {
    return new AdminActionResult.UnknownDestination(directory.notConfigured(destination));
  }
}

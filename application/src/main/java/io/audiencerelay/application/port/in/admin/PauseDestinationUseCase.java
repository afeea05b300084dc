package io.audiencerelay.application.port.in.admin;

/** Stops a destination's deliveries at every relay; its updates are still accepted and queued. */
public interface PauseDestinationUseCase {
  AdminActionResult pause(String destination, String actor);
}

package io.audiencerelay.application.port.in.admin;

/** Lets a paused destination deliver again. */
public interface ResumeDestinationUseCase {
  AdminActionResult resume(String destination, String actor);
}

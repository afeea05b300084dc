package io.audiencerelay.application.port.in.admin;

import java.util.List;

/** Every configured destination's health, in configuration order. */
public interface ListDestinationsUseCase {
  List<DestinationStatus> destinations();
}

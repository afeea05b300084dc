package io.audiencerelay.application.port.in.admin;

import io.audiencerelay.domain.DestinationName;
import java.time.Instant;
import java.util.List;

/** The partner grants the relay keeps, with their end dates; never a token. */
public interface ListGrantsUseCase {
  List<GrantStatus> grants();

  /**
   * @param subject the platform user or feed destination the grant belongs to
   * @param accessExpiresAt when the access token ends, or null when unknown or unreadable
   * @param refreshExpiresAt when the refresh token ends, or null
   * @param problem why the grant cannot be read, or null when it can
   */
  record GrantStatus(
      DestinationName destination,
      String subject,
      boolean refreshable,
      Instant accessExpiresAt,
      Instant refreshExpiresAt,
      String problem) {}
}

package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.FeedDestinationId;

/** Tests a feed destination's stored credentials against its partner. */
public interface TestAuthenticationUseCase {
  CredentialsTestResult test(FeedDestinationId feedDestinationId);
}

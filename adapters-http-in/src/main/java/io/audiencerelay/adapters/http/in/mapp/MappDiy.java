package io.audiencerelay.adapters.http.in.mapp;

import io.audiencerelay.application.port.in.AcceptExternalChangesUseCase;
import io.audiencerelay.application.port.in.EnsureExternalAudienceUseCase;
import io.audiencerelay.domain.DestinationName;
import java.util.Objects;

/**
 * The Mapp DMP "DIY integration" endpoint, as configured.
 *
 * @param secret the HMAC-SHA1 key of {@code X-HMAC}; null only when the configuration explicitly
 *     allows unsigned calls
 * @param basicUser Basic Auth user, or null for none
 * @param basicPassword Basic Auth password, or null for none
 * @param destination where Mapp's audiences and mutations go
 * @param signedValidate whether a VALIDATE call must be signed too (Mapp does not say it is)
 */
public record MappDiy(
    String secret,
    String basicUser,
    String basicPassword,
    DestinationName destination,
    boolean signedValidate,
    AcceptExternalChangesUseCase accept,
    EnsureExternalAudienceUseCase ensure) {
  public MappDiy {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(accept, "accept");
    Objects.requireNonNull(ensure, "ensure");
    if ((basicUser == null) != (basicPassword == null)) {
      throw new IllegalArgumentException("Basic Auth needs both a user and a password");
    }
  }

  @Override
  public String toString() {
    return "MappDiy[destination="
        + destination
        + ", signed="
        + (secret != null)
        + ", basicAuth="
        + (basicUser != null)
        + "]";
  }
}

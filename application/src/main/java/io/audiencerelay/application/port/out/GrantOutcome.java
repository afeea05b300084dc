package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.Require;
import java.time.Duration;

/** What the partner made of a code exchange or a refresh. */
public sealed interface GrantOutcome {

  record Granted(PartnerTokens tokens) implements GrantOutcome {
    public Granted {
      Require.present(tokens, "tokens");
    }
  }

  /**
   * The partner will never honour this code or refresh token again ({@code invalid_grant}, revoked
   * consent): only a new login helps.
   */
  record Revoked(String reason) implements GrantOutcome {
    public Revoked {
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /** The partner could not answer now (network, 5xx, 429): try again after the delay. */
  record Unavailable(String reason, Duration retryAfter) implements GrantOutcome {
    public Unavailable {
      reason = Require.nonBlank(reason, "reason");
      Require.present(retryAfter, "retryAfter");
    }
  }
}

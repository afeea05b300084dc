package io.audiencerelay.domain;

import java.time.Duration;

/** What a partner answered when asked to create, find or check the audience of a segment. */
public sealed interface AudienceOutcome {

  /** The audience exists and accepts users. */
  record Ready(PartnerAudience audience) implements AudienceOutcome {
    public Ready {
      Require.present(audience, "audience");
    }
  }

  /** The audience exists but the partner is still provisioning it. */
  record NotReadyYet(PartnerAudience audience, String reason) implements AudienceOutcome {
    public NotReadyYet {
      Require.present(audience, "audience");
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /** The audience is gone on the partner side (for example deleted by a user there). */
  record Missing(String reason) implements AudienceOutcome {
    public Missing {
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /** The partner is unavailable or throttling; asking again later may work. */
  record Retry(Duration after, String reason) implements AudienceOutcome {
    public Retry {
      after = Require.present(after, "after");
      reason = Require.nonBlank(reason, "reason");
    }
  }

  /** The partner refused; the reason is safe to show to the platform's user. */
  record Rejected(String reason) implements AudienceOutcome {
    public Rejected {
      reason = Require.nonBlank(reason, "reason");
    }
  }
}

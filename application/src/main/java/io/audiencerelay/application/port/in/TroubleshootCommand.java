package io.audiencerelay.application.port.in;

import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.Require;

/**
 * A troubleshooting action on an external segment. The protocol defines {@value
 * #FETCH_DESTINATION_AUDIENCE}.
 */
public record TroubleshootCommand(ExternalSegment segment, String action) {
  public static final String FETCH_DESTINATION_AUDIENCE = "FETCH_DESTINATION_AUDIENCE";

  public TroubleshootCommand {
    Require.present(segment, "segment");
    action = Require.nonBlank(action, "action");
  }
}

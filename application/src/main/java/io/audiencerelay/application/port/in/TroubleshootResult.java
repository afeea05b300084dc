package io.audiencerelay.application.port.in;

import java.util.Map;

/** Answer to a troubleshooting action. */
public sealed interface TroubleshootResult
    permits TroubleshootResult.Found, Failed, NotImplemented {
  /**
   * @param data free-form facts for support, in the order they should be shown
   */
  record Found(String message, Map<String, Object> data) implements TroubleshootResult {}
}

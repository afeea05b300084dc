package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.Require;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a partner shows of an audience, for support.
 *
 * @param data facts in the order they should be shown
 */
public record AudienceFacts(String title, Map<String, Object> data) {
  public AudienceFacts {
    title = Require.nonBlank(title, "title");
    data = Collections.unmodifiableMap(new LinkedHashMap<>(Require.present(data, "data")));
  }
}

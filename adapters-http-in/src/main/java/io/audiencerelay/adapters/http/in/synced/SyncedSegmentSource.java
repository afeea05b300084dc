package io.audiencerelay.adapters.http.in.synced;

import io.audiencerelay.domain.DestinationName;
import java.util.Objects;

/**
 * One sender of synced segments, by integration key: the token it must present, where its members
 * go, how to read its requests, and optionally the JSON it expects back.
 *
 * @param token compared with the {@code Authorization} header (raw, or after {@code Bearer});
 *     secret, never printed
 * @param responseTemplate a Handlebars template of the JSON answer, or null for 204 with no body
 */
public record SyncedSegmentSource(
    String integrationKey,
    String token,
    DestinationName destination,
    SyncedSegmentParser parser,
    ResponseTemplate responseTemplate) {
  public SyncedSegmentSource {
    Objects.requireNonNull(integrationKey, "integrationKey");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(parser, "parser");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("a synced-segment source needs a token");
    }
  }

  @Override
  public String toString() {
    return "SyncedSegmentSource[" + integrationKey + " -> " + destination + "]";
  }
}

package io.audiencerelay.adapters.http.in.feed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.domain.UserIdentifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Request bodies of the feed protocol, as the platform sends them. Field names map from snake_case.
 * Unknown fields are ignored: the protocol grows (for example {@code preset_id}, {@code
 * user_profiles}).
 */
final class WireRequests {
  private WireRequests() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record SegmentRequest(
      String feedId,
      String datamartId,
      String segmentId,
      String feedDestinationId,
      String action) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record UserSegmentUpdateRequest(
      String feedId,
      String sessionId,
      String datamartId,
      String segmentId,
      String feedDestinationId,
      List<IdentifierWire> userIdentifiers,
      Double ts,
      String operation) {}

  /**
   * Every identifier type in one flat record: one pass of the parser, the type picks the fields
   * that matter.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record IdentifierWire(
      String type,
      String userPointId,
      String userAccountId,
      String compartmentId,
      String hash,
      String email,
      String vectorId,
      String id,
      String userAgentId,
      String registryId,
      List<IdentifierWire> technicalIdentifiers) {

    /**
     * Adds this identifier's domain form(s) to {@code into}. Unknown types and incomplete entries
     * are skipped (the protocol's union grows over time); a device point contributes itself and its
     * technical ids.
     *
     * @return how many entries were skipped
     */
    int addTo(List<UserIdentifier> into) {
      if (type == null) {
        return 1;
      }
      try {
        switch (type) {
          case "USER_POINT" -> into.add(new UserIdentifier.UserPoint(userPointId));
          case "USER_ACCOUNT" ->
              into.add(new UserIdentifier.UserAccount(userAccountId, compartmentId));
          case "USER_EMAIL" -> into.add(new UserIdentifier.UserEmail(hash, email));
          case "USER_AGENT" -> into.add(new UserIdentifier.UserAgent(vectorId));
          case "USER_DEVICE_POINT" -> {
            int skipped = 0;
            if (id != null && !id.isBlank()) {
              into.add(new UserIdentifier.UserDevicePoint(id));
            }
            if (technicalIdentifiers != null) {
              for (IdentifierWire technical : technicalIdentifiers) {
                if (technical == null
                    || technical.type() == null
                    || technical.userAgentId() == null) {
                  skipped++;
                } else {
                  try {
                    into.add(
                        new UserIdentifier.DeviceTechnicalId(
                            technical.type(), technical.userAgentId(), technical.registryId()));
                  } catch (io.audiencerelay.domain.Require.InvalidTextException invalid) {
                    throw invalid;
                  } catch (IllegalArgumentException incomplete) {
                    skipped++;
                  }
                }
              }
            }
            return skipped;
          }
          default -> {
            return 1;
          }
        }
        return 0;
      } catch (io.audiencerelay.domain.Require.InvalidTextException invalid) {
        throw invalid; // not an incomplete entry: a value no id may hold, refused by name
      } catch (IllegalArgumentException incomplete) {
        return 1;
      }
    }

    static List<UserIdentifier> toDomain(List<IdentifierWire> wires) {
      if (wires == null) {
        return List.of();
      }
      List<UserIdentifier> identifiers = new ArrayList<>(wires.size() + 1);
      for (IdentifierWire wire : wires) {
        if (wire != null) {
          wire.addTo(identifiers);
        }
      }
      return identifiers;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record BatchUpdateRequest(List<JsonNode> batchContent, Double ts, BatchContext context) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record BatchContext(
      String endpoint,
      String feedId,
      String feedSessionId,
      String segmentId,
      String datamartId,
      String groupingKey,
      String feedDestinationId) {}

  /** One element of {@code batch_content} in the relay's format (see docs/PROTOCOL.md). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record BatchItemWire(String operation, List<IdentifierWire> userIdentifiers) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PropertyWire(String technicalName, String propertyType, JsonNode value) {
    /**
     * The property's value as text: {@code value.value}, {@code value.url} or {@code value.uri}.
     */
    String text() {
      if (value == null || !value.isObject()) {
        return null;
      }
      for (String field : new String[] {"value", "url", "uri"}) {
        JsonNode node = value.get(field);
        if (node != null && !node.isNull() && node.isValueNode()) {
          return node.asText();
        }
      }
      return null;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record AuthenticationStatusRequest(
      String segmentId,
      String datamartId,
      String pluginVersionId,
      String userId,
      List<PropertyWire> properties) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record AuthenticationRequest(
      String userId,
      String pluginVersionId,
      Map<String, String> params,
      String feedDestinationId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record LogoutRequest(String userId, String pluginVersionId, String datamartId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record DynamicPropertyValuesRequest(
      String segmentId,
      String datamartId,
      String userId,
      List<PropertyWire> properties,
      String feedDestinationId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record FeedDestinationRequest(String feedDestinationId, String pluginVersionId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record LogLevelRequest(String level) {}
}

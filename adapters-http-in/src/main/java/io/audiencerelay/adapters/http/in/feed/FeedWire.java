package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.BadRequestException;
import io.audiencerelay.adapters.http.in.feed.WireRequests.IdentifierWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.PropertyWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.SegmentRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.UserSegmentUpdateRequest;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PlatformUserId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * From the protocol's wire records to the use cases' commands: required fields, ids, operations,
 * timestamps and properties, each refusal a 400 that names the field.
 */
final class FeedWire {

  private FeedWire() {}

  static ExternalSegment segment(SegmentRequest request) {
    return segment(request.feedId(), request.segmentId(), request.datamartId());
  }

  static ExternalSegment segment(String feedId, String segmentId, String datamartId) {
    requireField(feedId, "feed_id");
    requireField(segmentId, "segment_id");
    return ExternalSegment.of(feedId, segmentId, datamartId);
  }

  static void requireField(String value, String name) {
    if (value == null || value.isBlank()) {
      throw BadRequestException.field(name + " is required");
    }
  }

  static PlatformUserId user(String userId) {
    requireField(userId, "user_id");
    return new PlatformUserId(userId);
  }

  static FeedDestinationId destinationId(String id) {
    return id == null || id.isBlank() ? null : new FeedDestinationId(id);
  }

  static FeedDestinationId requiredDestinationId(String id) {
    requireField(id, "feed_destination_id");
    return new FeedDestinationId(id);
  }

  /** UPSERT or DELETE; a missing operation is an UPSERT, as the SDK's own example posts none. */
  static MembershipOperation operation(String value, String field) {
    if (value == null || value.isBlank()) {
      return MembershipOperation.ADD;
    }
    MembershipOperation operation = parseOperation(value);
    if (operation == null) {
      throw BadRequestException.field(field + " must be UPSERT or DELETE, got '" + value + "'");
    }
    return operation;
  }

  static MembershipOperation parseOperation(String value) {
    return switch (value.strip().toUpperCase(java.util.Locale.ROOT)) {
      case "UPSERT", "ADD" -> MembershipOperation.ADD;
      case "DELETE", "REMOVE" -> MembershipOperation.REMOVE;
      default -> null;
    };
  }

  static Instant timestamp(Double epochMillis) {
    if (epochMillis == null
        || epochMillis.isNaN()
        || epochMillis <= 0
        || epochMillis.isInfinite()) {
      return null;
    }
    return Instant.ofEpochMilli(epochMillis.longValue());
  }

  static FeedProperties properties(List<PropertyWire> wires) {
    if (wires == null || wires.isEmpty()) {
      return FeedProperties.none();
    }
    Map<String, String> values = new HashMap<>();
    for (PropertyWire wire : wires) {
      if (wire != null && wire.technicalName() != null) {
        String text = wire.text();
        if (text != null) {
          values.put(wire.technicalName(), text);
        }
      }
    }
    return new FeedProperties(values);
  }

  static Map<String, String> withoutNulls(Map<String, String> params) {
    Map<String, String> copy = new HashMap<>();
    params.forEach(
        (key, value) -> {
          if (key != null && value != null) {
            copy.put(key, value);
          }
        });
    return copy;
  }

  static UpdateUserSegmentCommand updateCommand(UserSegmentUpdateRequest request) {
    return new UpdateUserSegmentCommand(
        segment(request.feedId(), request.segmentId(), request.datamartId()),
        operation(request.operation(), "operation"),
        IdentifierWire.toDomain(request.userIdentifiers()),
        timestamp(request.ts()),
        destinationId(request.feedDestinationId()));
  }
}

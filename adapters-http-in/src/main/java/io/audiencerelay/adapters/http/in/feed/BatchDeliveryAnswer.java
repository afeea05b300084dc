package io.audiencerelay.adapters.http.in.feed;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.audiencerelay.application.port.in.FeedUpdateResult;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The batched feed's answer to {@code user_segment_update}: {@code {"status":"ok","data":[{"type":
 * "BATCH_DELIVERY","content":…,"grouping_key":…}]}}. The content is one {@code batch_content} item
 * in the relay's format ({@code operation} and the usable {@code user_identifiers}, written as the
 * platform writes them), so that {@code batch_update} reads back exactly what was answered; the
 * grouping key is the operation, as in the SDK's example.
 */
final class BatchDeliveryAnswer {
  private static final JsonFactory FACTORY = new JsonFactory();

  private BatchDeliveryAnswer() {}

  static byte[] of(FeedUpdateResult.ForBatch item) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160 + 96 * item.identifiers().size());
    String operation = groupingKey(item.operation());
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("status", "ok");
      json.writeArrayFieldStart("data");
      json.writeStartObject();
      json.writeStringField("type", "BATCH_DELIVERY");
      json.writeObjectFieldStart("content");
      json.writeStringField("operation", operation);
      json.writeArrayFieldStart("user_identifiers");
      for (UserIdentifier identifier : item.identifiers()) {
        writeIdentifier(json, identifier);
      }
      json.writeEndArray();
      json.writeEndObject();
      json.writeStringField("grouping_key", operation);
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory does not fail", e);
    }
    return out.toByteArray();
  }

  static String groupingKey(MembershipOperation operation) {
    return operation == MembershipOperation.ADD ? "UPSERT" : "DELETE";
  }

  /** The identifier as the platform sent it, so that the batch reader reads it back the same. */
  private static void writeIdentifier(JsonGenerator json, UserIdentifier identifier)
      throws IOException {
    json.writeStartObject();
    switch (identifier) {
      case UserIdentifier.UserPoint point -> {
        json.writeStringField("type", "USER_POINT");
        json.writeStringField("user_point_id", point.userPointId());
      }
      case UserIdentifier.UserAccount account -> {
        json.writeStringField("type", "USER_ACCOUNT");
        json.writeStringField("user_account_id", account.userAccountId());
        if (account.compartmentId() != null) {
          json.writeStringField("compartment_id", account.compartmentId());
        }
      }
      case UserIdentifier.UserEmail email -> {
        json.writeStringField("type", "USER_EMAIL");
        if (email.hash() != null) {
          json.writeStringField("hash", email.hash());
        }
        if (email.email() != null) {
          json.writeStringField("email", email.email());
        }
      }
      case UserIdentifier.UserAgent agent -> {
        json.writeStringField("type", "USER_AGENT");
        json.writeStringField("vector_id", agent.vectorId());
      }
      case UserIdentifier.UserDevicePoint device -> {
        json.writeStringField("type", "USER_DEVICE_POINT");
        json.writeStringField("id", device.devicePointId());
      }
      case UserIdentifier.DeviceTechnicalId technical -> {
        json.writeStringField("type", "USER_DEVICE_POINT");
        json.writeArrayFieldStart("technical_identifiers");
        json.writeStartObject();
        json.writeStringField("type", technical.kind());
        json.writeStringField("user_agent_id", technical.deviceId());
        if (technical.registryId() != null) {
          json.writeStringField("registry_id", technical.registryId());
        }
        json.writeEndObject();
        json.writeEndArray();
      }
      case UserIdentifier.ExternalUserId external -> {
        // Not a feed identifier (Mapp and synced segments bring these): kept under its kind.
        json.writeStringField("type", external.kind());
        json.writeStringField("id", external.id());
      }
    }
    json.writeEndObject();
  }
}

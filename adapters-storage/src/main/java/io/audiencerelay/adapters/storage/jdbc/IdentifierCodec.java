package io.audiencerelay.adapters.storage.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.audiencerelay.domain.UserIdentifier;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a user's identifiers as one compact JSON text: an array of {@code [tag, fields...]}, where
 * the tag is one letter per identifier kind. Written once at acceptance, read once at delivery.
 */
final class IdentifierCodec {
  private static final JsonFactory JSON = new JsonFactory();

  private IdentifierCodec() {}

  static String encode(List<UserIdentifier> identifiers) {
    StringWriter out = new StringWriter(32 * identifiers.size());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (UserIdentifier identifier : identifiers) {
        json.writeStartArray();
        switch (identifier) {
          case UserIdentifier.UserPoint p -> write(json, "P", p.userPointId());
          case UserIdentifier.UserAccount a ->
              write(json, "A", a.userAccountId(), a.compartmentId());
          case UserIdentifier.UserEmail e -> write(json, "E", e.hash(), e.email());
          case UserIdentifier.UserAgent g -> write(json, "G", g.vectorId());
          case UserIdentifier.UserDevicePoint d -> write(json, "V", d.devicePointId());
          case UserIdentifier.DeviceTechnicalId t ->
              write(json, "T", t.kind(), t.deviceId(), t.registryId());
          case UserIdentifier.ExternalUserId x -> write(json, "X", x.kind(), x.id());
        }
        json.writeEndArray();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON write failed", e);
    }
    return out.toString();
  }

  static List<UserIdentifier> decode(String text) {
    List<UserIdentifier> identifiers = new ArrayList<>(2);
    try (JsonParser json = JSON.createParser(text)) {
      expect(json.nextToken(), JsonToken.START_ARRAY, text);
      while (json.nextToken() == JsonToken.START_ARRAY) {
        List<String> fields = new ArrayList<>(4);
        while (json.nextToken() != JsonToken.END_ARRAY) {
          fields.add(json.currentToken() == JsonToken.VALUE_NULL ? null : json.getText());
        }
        identifiers.add(identifier(fields, text));
      }
    } catch (IOException e) {
      throw new IllegalStateException("stored identifiers are not readable: " + text, e);
    }
    return identifiers;
  }

  private static UserIdentifier identifier(List<String> f, String text) {
    return switch (f.getFirst()) {
      case "P" -> new UserIdentifier.UserPoint(f.get(1));
      case "A" -> new UserIdentifier.UserAccount(f.get(1), f.get(2));
      case "E" -> new UserIdentifier.UserEmail(f.get(1), f.get(2));
      case "G" -> new UserIdentifier.UserAgent(f.get(1));
      case "V" -> new UserIdentifier.UserDevicePoint(f.get(1));
      case "T" -> new UserIdentifier.DeviceTechnicalId(f.get(1), f.get(2), f.get(3));
      case "X" -> new UserIdentifier.ExternalUserId(f.get(1), f.get(2));
      default -> throw new IllegalStateException("unknown stored identifier tag in " + text);
    };
  }

  private static void write(JsonGenerator json, String tag, String... fields) throws IOException {
    json.writeString(tag);
    for (String field : fields) {
      json.writeString(field);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, String text) {
    if (actual != expected) {
      throw new IllegalStateException("stored identifiers are not an array: " + text);
    }
  }
}

package io.audiencerelay.adapters.storage.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.audiencerelay.domain.UserIdentifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a user's identifiers as one compact JSON text: an array of {@code [tag, fields...]}, where
 * the tag is one letter per identifier kind. Written once at acceptance, read once at delivery.
 */
final class IdentifierCodec {
  private static final JsonFactory JSON = new JsonFactory();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private IdentifierCodec() {}

  /**
   * Written by hand rather than with a JSON generator: it runs once per accepted change, on the
   * request's thread, and a generator per change cost more than the text itself.
   */
  static String encode(List<UserIdentifier> identifiers) {
    StringBuilder out = new StringBuilder(48 * identifiers.size());
    out.append('[');
    for (UserIdentifier identifier : identifiers) {
      if (out.length() > 1) {
        out.append(',');
      }
      switch (identifier) {
        case UserIdentifier.UserPoint p -> write(out, "P", p.userPointId());
        case UserIdentifier.UserAccount a -> write(out, "A", a.userAccountId(), a.compartmentId());
        case UserIdentifier.UserEmail e -> write(out, "E", e.hash(), e.email());
        case UserIdentifier.UserAgent g -> write(out, "G", g.vectorId());
        case UserIdentifier.UserDevicePoint d -> write(out, "V", d.devicePointId());
        case UserIdentifier.DeviceTechnicalId t ->
            write(out, "T", t.kind(), t.deviceId(), t.registryId());
        case UserIdentifier.ExternalUserId x -> write(out, "X", x.kind(), x.id());
      }
    }
    return out.append(']').toString();
  }

  private static void write(StringBuilder out, String tag, String... fields) {
    out.append("[\"").append(tag).append('"');
    for (String field : fields) {
      out.append(',');
      if (field == null) {
        out.append("null");
      } else {
        quote(out, field);
      }
    }
    out.append(']');
  }

  /** A JSON string: quote, backslash and control characters escaped (RFC 8259), the rest as is. */
  static void quote(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        out.append(c);
      }
    }
    out.append('"');
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

  private static void expect(JsonToken actual, JsonToken expected, String text) {
    if (actual != expected) {
      throw new IllegalStateException("stored identifiers are not an array: " + text);
    }
  }
}

package io.audiencerelay.adapters.storage.jdbc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.audiencerelay.domain.UserIdentifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a user's identifiers as one compact JSON text: an array of {@code [tag, fields...]}, where
 * the tag is one letter per identifier kind. Written once at acceptance, read once at delivery.
 */
final class IdentifierCodec {
  private static final JsonStringEncoder JSON_STRING = JsonStringEncoder.getInstance();

  private IdentifierCodec() {}

  /**
   * Assembled by hand rather than with a JSON generator: it runs once per accepted change, on the
   * request's thread, and a generator per change cost more than the text itself. Strings are
   * escaped by Jackson's encoder, as the generator escaped them.
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
      } else if (needsEscaping(field)) {
        out.append('"');
        JSON_STRING.quoteAsString(field, out);
        out.append('"');
      } else {
        // Nearly every identifier: one bulk copy, not the encoder's append per character.
        out.append('"').append(field).append('"');
      }
    }
    out.append(']');
  }

  /** Whether JSON needs an escape in the value: a quote, a backslash or a control character. */
  private static boolean needsEscaping(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads what {@link #encode} wrote (and what the JSON generator wrote before it): arrays of JSON
   * strings and nulls, any JSON string escape allowed. By hand for the same reason as encoding.
   */
  static List<UserIdentifier> decode(String text) {
    Reader in = new Reader(text);
    List<UserIdentifier> identifiers = new ArrayList<>(2);
    in.expect('[');
    boolean more = in.peek() != ']';
    while (more) {
      in.expect('[');
      List<String> fields = new ArrayList<>(4);
      fields.add(in.stringOrNull());
      while (in.peek() == ',') {
        in.next();
        fields.add(in.stringOrNull());
      }
      in.expect(']');
      identifiers.add(identifier(fields, text));
      more = in.peek() == ',';
      if (more) {
        in.next();
      }
    }
    in.expect(']');
    return identifiers;
  }

  /**
   * A cursor over stored identifiers; any deviation from the format is an {@link
   * IllegalStateException}.
   */
  private static final class Reader {
    private final String text;
    private int at;

    Reader(String text) {
      this.text = text;
    }

    char peek() {
      if (at >= text.length()) {
        throw unreadable();
      }
      return text.charAt(at);
    }

    char next() {
      char c = peek();
      at++;
      return c;
    }

    void expect(char c) {
      if (next() != c) {
        throw unreadable();
      }
    }

    String stringOrNull() {
      if (text.startsWith("null", at)) {
        at += 4;
        return null;
      }
      expect('"');
      StringBuilder value = null;
      int from = at;
      while (true) {
        char c = next();
        if (c == '"') {
          return value == null ? text.substring(from, at - 1) : value.toString();
        }
        if (c != '\\') {
          if (value != null) {
            value.append(c);
          }
          continue;
        }
        if (value == null) {
          value = new StringBuilder(text.length()).append(text, from, at - 1);
        }
        char escaped = next();
        switch (escaped) {
          case '"', '\\', '/' -> value.append(escaped);
          case 'b' -> value.append('\b');
          case 'f' -> value.append('\f');
          case 'n' -> value.append('\n');
          case 'r' -> value.append('\r');
          case 't' -> value.append('\t');
          case 'u' -> {
            if (at + 4 > text.length()) {
              throw unreadable();
            }
            try {
              value.append((char) Integer.parseInt(text, at, at + 4, 16));
            } catch (NumberFormatException e) {
              throw unreadable();
            }
            at += 4;
          }
          default -> throw unreadable();
        }
      }
    }

    IllegalStateException unreadable() {
      return new IllegalStateException(
          "stored identifiers are not readable at character " + at + ": " + text);
    }
  }

  private static UserIdentifier identifier(List<String> f, String text) {
    int arity =
        switch (f.getFirst()) {
          case "P", "G", "V" -> 2;
          case "A", "E", "X" -> 3;
          case "T" -> 4;
          case null, default -> 0;
        };
    if (f.size() != arity) {
      throw new IllegalStateException("unknown stored identifier in " + text);
    }
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
}

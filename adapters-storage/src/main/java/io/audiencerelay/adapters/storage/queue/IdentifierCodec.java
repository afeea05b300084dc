package io.audiencerelay.adapters.storage.queue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.audiencerelay.domain.UserIdentifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a user's identifiers as one compact JSON text: an array of {@code [tag, fields...]}, where
 * the tag is one letter per identifier kind. Written once at acceptance, read once at delivery.
 */
final class IdentifierCodec {
  private static final JsonStringEncoder JSON_STRING = JsonStringEncoder.getInstance();
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private IdentifierCodec() {}

  /** The identifiers as stored: what {@link #encode(List, GrowableBytes)} writes, as text. */
  static String encode(List<UserIdentifier> identifiers) {
    GrowableBytes out = new GrowableBytes(48 * identifiers.size());
    encode(identifiers, out);
    return new String(out.array(), 0, out.size(), StandardCharsets.UTF_8);
  }

  /**
   * Writes the identifiers' UTF-8 text at the end of {@code out}. Assembled by hand rather than
   * with a JSON generator, straight into bytes: it runs once per accepted change, on the request's
   * thread, and a generator (or a string converted afterwards) cost more than the text itself.
   * Strings are escaped by Jackson's encoder, as the generator escaped them.
   */
  static void encode(List<UserIdentifier> identifiers, GrowableBytes out) {
    out.put((byte) '[');
    boolean first = true;
    for (UserIdentifier identifier : identifiers) {
      if (!first) {
        out.put((byte) ',');
      }
      first = false;
      switch (identifier) {
        case UserIdentifier.UserPoint p -> write(out, 'P', p.userPointId());
        case UserIdentifier.UserAccount a -> write(out, 'A', a.userAccountId(), a.compartmentId());
        case UserIdentifier.UserEmail e -> write(out, 'E', e.hash(), e.email());
        case UserIdentifier.UserAgent g -> write(out, 'G', g.vectorId());
        case UserIdentifier.UserDevicePoint d -> write(out, 'V', d.devicePointId());
        case UserIdentifier.DeviceTechnicalId t ->
            write(out, 'T', t.kind(), t.deviceId(), t.registryId());
        case UserIdentifier.ExternalUserId x -> write(out, 'X', x.kind(), x.id());
      }
    }
    out.put((byte) ']');
  }

  private static void write(GrowableBytes out, char tag, String... fields) {
    out.ensure(4);
    byte[] bytes = out.array();
    int at = out.size();
    bytes[at++] = '[';
    bytes[at++] = '"';
    bytes[at++] = (byte) tag;
    bytes[at++] = '"';
    out.size(at);
    for (String field : fields) {
      out.put((byte) ',');
      if (field == null) {
        out.put(NULL);
      } else {
        quoted(out, field);
      }
    }
    out.put((byte) ']');
  }

  /**
   * Nearly every identifier is printable ASCII with nothing to escape: one pass copies it. Anything
   * else (an escape, a non-ASCII character) starts again through the encoder and UTF-8.
   */
  private static void quoted(GrowableBytes out, String value) {
    int length = value.length();
    out.ensure(length + 2);
    byte[] bytes = out.array();
    int at = out.size();
    bytes[at++] = '"';
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        out.put(
            ('"' + new String(JSON_STRING.quoteAsString(value)) + '"')
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      bytes[at++] = (byte) c;
    }
    bytes[at++] = '"';
    out.size(at);
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

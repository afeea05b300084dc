package io.audiencerelay.adapters.http.in;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads request bodies into wire records and writes answers, with one mapper configured for the
 * protocols (snake_case, unknown fields ignored), and errors that name the field and the JSON kind
 * expected, never a Java type.
 */
public final class JsonBodies {
  private final ObjectMapper mapper;

  public JsonBodies(ObjectMapper base) {
    this.mapper =
        base.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Parses a feed route's body. A missing body, or an empty object, is the SDK's "Missing request
   * body".
   *
   * @throws BadRequestException naming what is wrong
   */
  public <T> T read(byte[] body, Class<T> type) {
    requireObject(body);
    try {
      return mapper.readValue(body, type);
    } catch (JsonMappingException e) {
      String path =
          e.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      if (path.isEmpty()) {
        throw BadRequestException.body("Malformed JSON body: " + describe(e));
      }
      throw BadRequestException.field("Invalid field '" + path + "': " + expected(e));
    } catch (JsonProcessingException e) {
      throw BadRequestException.body("Malformed JSON body: " + describe(e));
    } catch (IOException e) {
      throw BadRequestException.body("Unreadable body: " + e.getMessage());
    }
  }

  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "answer not serialisable: " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * What the field should have held, in JSON's terms: the binder's own message names Java types,
   * which mean nothing to the platform.
   */
  private static String expected(JsonMappingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
        && mismatch.getTargetType() != null) {
      Class<?> type = mismatch.getTargetType();
      String kind;
      if (CharSequence.class.isAssignableFrom(type)) {
        kind = "a string";
      } else if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
        kind = type == boolean.class ? "a boolean" : "a number";
      } else if (Boolean.class == type) {
        kind = "a boolean";
      } else if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
        kind = "an array";
      } else {
        kind = "an object";
      }
      return "expected " + kind;
    }
    String message = e.getOriginalMessage().split("\n")[0];
    // Never a class name of ours in an answer.
    return message.replaceAll("`?io\\.audiencerelay\\.[\\w.$]+`?", "the value");
  }

  private static String describe(JsonProcessingException e) {
    String reason = e.getOriginalMessage();
    // Only the first sentence: Jackson's tail repeats source excerpts that may be large.
    int cut = reason.indexOf(':');
    String head = reason.split("\n")[0];
    if (cut > 0 && head.startsWith("Unexpected character")) {
      head = reason.substring(0, cut);
    }
    JsonLocation at = e.getLocation();
    return at == null ? head : head + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * Every feed route takes a JSON object: no body or {@code {}} is the SDK's "Missing request
   * body", and {@code null}, a number, a string or an array is named as what it is (a binder would
   * turn {@code null} into no request at all, and the others into messages about Java types).
   */
  public static void requireObject(byte[] body) {
    if (isEmptyObject(body)) {
      throw BadRequestException.body("Missing request body");
    }
    int i = 0;
    // A byte order mark is tolerated before the JSON, as Jackson does.
    if (body.length >= 3
        && (body[0] & 0xff) == 0xef
        && (body[1] & 0xff) == 0xbb
        && (body[2] & 0xff) == 0xbf) {
      i = 3;
    }
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    String notAnObject = i < body.length ? kindOf((char) body[i]) : null;
    if (notAnObject != null) {
      throw BadRequestException.body("The body must be a JSON object, not " + notAnObject);
    }
  }

  /** What a JSON text that is not an object is, from its first character; null otherwise. */
  public static String notAnObject(String text) {
    return text.isEmpty() ? null : kindOf(text.charAt(0));
  }

  private static String kindOf(char first) {
    return switch (first) {
      case '[' -> "an array";
      case '"' -> "a string";
      case 'n' -> "null";
      case 't', 'f' -> "a boolean";
      case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> "a number";
      default -> null; // an object, or not JSON at all: the parser says which
    };
  }

  /** True for no bytes, only blanks, or {@code {}} with blanks. */
  static boolean isEmptyObject(byte[] body) {
    int i = 0;
    int n = body.length;
    while (i < n && Character.isWhitespace(body[i])) {
      i++;
    }
    if (i == n) {
      return true;
    }
    if (body[i] != '{') {
      return false;
    }
    i++;
    while (i < n && Character.isWhitespace(body[i])) {
      i++;
    }
    if (i == n || body[i] != '}') {
      return false;
    }
    i++;
    while (i < n && Character.isWhitespace(body[i])) {
      i++;
    }
    return i == n;
  }
}

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
 * protocol.
 */
final class JsonBodies {
  private final ObjectMapper mapper;
  private final UserSegmentUpdateReader updates;

  JsonBodies(ObjectMapper base) {
    this.mapper =
        base.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.updates = new UserSegmentUpdateReader(mapper.getFactory());
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** A single update's body, read by the streaming reader when it can, else bound by the mapper. */
  WireRequests.UserSegmentUpdateRequest readUpdate(byte[] body) {
    if (isEmptyObject(body)) {
      throw BadRequestException.body("Missing request body");
    }
    return updates
        .read(body)
        .orElseGet(() -> read(body, WireRequests.UserSegmentUpdateRequest.class));
  }

  /**
   * One line of the file form: as {@link #readUpdate(byte[])}, but a line the mapper cannot read
   * throws its own exception, for the line's error.
   */
  WireRequests.UserSegmentUpdateRequest readUpdateLine(String line) throws IOException {
    var fast = updates.read(line);
    return fast.isPresent()
        ? fast.get()
        : mapper.readValue(line, WireRequests.UserSegmentUpdateRequest.class);
  }

  /**
   * Parses a feed route's body. A missing body, or an empty object, is the SDK's "Missing request
   * body".
   *
   * @throws BadRequestException naming what is wrong
   */
  <T> T read(byte[] body, Class<T> type) {
    if (isEmptyObject(body)) {
      throw BadRequestException.body("Missing request body");
    }
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
      throw BadRequestException.field(
          "Invalid field '" + path + "': " + e.getOriginalMessage().split("\n")[0]);
    } catch (JsonProcessingException e) {
      throw BadRequestException.body("Malformed JSON body: " + describe(e));
    } catch (IOException e) {
      throw BadRequestException.body("Unreadable body: " + e.getMessage());
    }
  }

  byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "answer not serialisable: " + value.getClass().getSimpleName(), e);
    }
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

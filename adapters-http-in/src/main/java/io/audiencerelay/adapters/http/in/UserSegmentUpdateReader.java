package io.audiencerelay.adapters.http.in;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.audiencerelay.adapters.http.in.WireRequests.IdentifierWire;
import io.audiencerelay.adapters.http.in.WireRequests.UserSegmentUpdateRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a single update with Jackson's streaming parser instead of binding it to the records: the
 * route is the hottest of the relay, and binding through the records' constructors was a fifth of
 * its request thread's time.
 *
 * <p>It covers what the platform sends: string, number and null values, unknown fields of any
 * shape. Anything else (a repeated field, a boolean where a string goes, malformed JSON) answers
 * empty, so the caller binds the body with the mapper and gets the mapper's result or its exact
 * error. A test holds both readings equal.
 */
final class UserSegmentUpdateReader {
  /** Thrown, without a stack, for what only the mapper reads. */
  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super("left to the data binder", null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  private final JsonFactory factory;

  UserSegmentUpdateReader(JsonFactory factory) {
    this.factory = factory;
  }

  Optional<UserSegmentUpdateRequest> read(byte[] body) {
    try (JsonParser parser = factory.createParser(body)) {
      return Optional.of(update(parser));
    } catch (IOException | RuntimeException leftToTheBinder) {
      return Optional.empty();
    }
  }

  Optional<UserSegmentUpdateRequest> read(String body) {
    try (JsonParser parser = factory.createParser(body)) {
      return Optional.of(update(parser));
    } catch (IOException | RuntimeException leftToTheBinder) {
      return Optional.empty();
    }
  }

  // The fields each record reads, by position; any other field is skipped whatever its shape.
  private static final Map<String, Integer> UPDATE_FIELDS =
      positions(
          "feed_id",
          "session_id",
          "datamart_id",
          "segment_id",
          "feed_destination_id",
          "operation",
          "user_identifiers",
          "ts");
  private static final int USER_IDENTIFIERS = 6;
  private static final int TS = 7;
  private static final Map<String, Integer> IDENTIFIER_FIELDS =
      positions(
          "type",
          "user_point_id",
          "user_account_id",
          "compartment_id",
          "hash",
          "email",
          "vector_id",
          "id",
          "user_agent_id",
          "registry_id",
          "technical_identifiers");
  private static final int TECHNICAL_IDENTIFIERS = 10;

  /** Reads the value of the field at a position of its record. */
  private interface FieldReader {
    Object read(int position, JsonToken value) throws IOException;
  }

  @SuppressWarnings("unchecked")
  private static UserSegmentUpdateRequest update(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw UNSUPPORTED;
    }
    Object[] fields =
        fields(
            parser,
            UPDATE_FIELDS,
            (position, value) ->
                switch (position) {
                  case USER_IDENTIFIERS -> identifiers(parser, value);
                  case TS -> number(parser, value);
                  default -> text(parser, value);
                });
    return new UserSegmentUpdateRequest(
        (String) fields[0],
        (String) fields[1],
        (String) fields[2],
        (String) fields[3],
        (String) fields[4],
        (List<IdentifierWire>) fields[USER_IDENTIFIERS],
        (Double) fields[TS],
        (String) fields[5]);
  }

  private static List<IdentifierWire> identifiers(JsonParser parser, JsonToken value)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.START_ARRAY) {
      throw UNSUPPORTED;
    }
    List<IdentifierWire> identifiers = new ArrayList<>();
    for (JsonToken element = parser.nextToken();
        element != JsonToken.END_ARRAY;
        element = parser.nextToken()) {
      if (element == JsonToken.VALUE_NULL) {
        identifiers.add(null);
      } else if (element == JsonToken.START_OBJECT) {
        identifiers.add(identifier(parser));
      } else {
        throw UNSUPPORTED;
      }
    }
    return identifiers;
  }

  @SuppressWarnings("unchecked")
  private static IdentifierWire identifier(JsonParser parser) throws IOException {
    Object[] fields =
        fields(
            parser,
            IDENTIFIER_FIELDS,
            (position, value) ->
                position == TECHNICAL_IDENTIFIERS
                    ? identifiers(parser, value)
                    : text(parser, value));
    return new IdentifierWire(
        (String) fields[0],
        (String) fields[1],
        (String) fields[2],
        (String) fields[3],
        (String) fields[4],
        (String) fields[5],
        (String) fields[6],
        (String) fields[7],
        (String) fields[8],
        (String) fields[9],
        (List<IdentifierWire>) fields[TECHNICAL_IDENTIFIERS]);
  }

  /**
   * Reads the fields of the object the parser has just entered, up to its end. A field given twice
   * is left to the binder, whose rule for it is its own.
   */
  private static Object[] fields(JsonParser parser, Map<String, Integer> known, FieldReader reader)
      throws IOException {
    Object[] values = new Object[known.size()];
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token == JsonToken.FIELD_NAME;
        token = parser.nextToken()) {
      Integer position = known.get(parser.currentName());
      JsonToken value = parser.nextToken();
      if (position == null) {
        parser.skipChildren();
        continue;
      }
      int bit = 1 << position;
      if ((seen & bit) != 0) {
        throw UNSUPPORTED;
      }
      seen |= bit;
      values[position] = reader.read(position, value);
    }
    return values;
  }

  private static Map<String, Integer> positions(String... names) {
    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      positions.put(names[i], i);
    }
    return Map.copyOf(positions);
  }

  /** A string field: the binder also takes a number's text as it is written. */
  private static String text(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getValueAsString();
      case VALUE_NULL -> null;
      default -> throw UNSUPPORTED;
    };
  }

  private static Double number(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_NULL -> null;
      default -> throw UNSUPPORTED;
    };
  }
}

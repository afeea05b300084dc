package io.audiencerelay.adapters.http.in.feed;

import static io.audiencerelay.adapters.http.in.StreamingFields.UNSUPPORTED;
import static io.audiencerelay.adapters.http.in.StreamingFields.firstTime;
import static io.audiencerelay.adapters.http.in.StreamingFields.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.audiencerelay.adapters.http.in.feed.WireRequests.IdentifierWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.UserSegmentUpdateRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a single update with Jackson's streaming parser instead of binding it to the records: the
 * route is the hottest of the relay, and binding through the records' constructors costs several
 * times more (docs/PERFORMANCE.md, "Rules in the code").
 *
 * <p>It covers what the platform sends: string, number and null values, unknown fields of any
 * shape. Anything else (a repeated field, a boolean where a string goes, malformed JSON) answers
 * empty, so the caller binds the body with the mapper and gets the mapper's result or its exact
 * error. A test holds both readings equal.
 *
 * <p>The two records' field loops look alike and are kept apart on purpose: one loop driven by a
 * table of field positions is slower on this path (docs/PERFORMANCE.md).
 */
final class UserSegmentUpdateReader {
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

  private static UserSegmentUpdateRequest update(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw UNSUPPORTED;
    }
    String feedId = null;
    String sessionId = null;
    String datamartId = null;
    String segmentId = null;
    String feedDestinationId = null;
    List<IdentifierWire> identifiers = null;
    Double ts = null;
    String operation = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token == JsonToken.FIELD_NAME;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      int field =
          switch (name) {
            case "feed_id" -> {
              feedId = text(parser, value);
              yield 1;
            }
            case "session_id" -> {
              sessionId = text(parser, value);
              yield 1 << 1;
            }
            case "datamart_id" -> {
              datamartId = text(parser, value);
              yield 1 << 2;
            }
            case "segment_id" -> {
              segmentId = text(parser, value);
              yield 1 << 3;
            }
            case "feed_destination_id" -> {
              feedDestinationId = text(parser, value);
              yield 1 << 4;
            }
            case "user_identifiers" -> {
              identifiers = identifiers(parser, value);
              yield 1 << 5;
            }
            case "ts" -> {
              ts = number(parser, value);
              yield 1 << 6;
            }
            case "operation" -> {
              operation = text(parser, value);
              yield 1 << 7;
            }
            default -> {
              parser.skipChildren();
              yield 0;
            }
          };
      seen = firstTime(seen, field);
    }
    return new UserSegmentUpdateRequest(
        feedId, sessionId, datamartId, segmentId, feedDestinationId, identifiers, ts, operation);
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

  private static IdentifierWire identifier(JsonParser parser) throws IOException {
    String type = null;
    String userPointId = null;
    String userAccountId = null;
    String compartmentId = null;
    String hash = null;
    String email = null;
    String vectorId = null;
    String id = null;
    String userAgentId = null;
    String registryId = null;
    List<IdentifierWire> technicalIdentifiers = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token == JsonToken.FIELD_NAME;
        token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      int field =
          switch (name) {
            case "type" -> {
              type = text(parser, value);
              yield 1;
            }
            case "user_point_id" -> {
              userPointId = text(parser, value);
              yield 1 << 1;
            }
            case "user_account_id" -> {
              userAccountId = text(parser, value);
              yield 1 << 2;
            }
            case "compartment_id" -> {
              compartmentId = text(parser, value);
              yield 1 << 3;
            }
            case "hash" -> {
              hash = text(parser, value);
              yield 1 << 4;
            }
            case "email" -> {
              email = text(parser, value);
              yield 1 << 5;
            }
            case "vector_id" -> {
              vectorId = text(parser, value);
              yield 1 << 6;
            }
            case "id" -> {
              id = text(parser, value);
              yield 1 << 7;
            }
            case "user_agent_id" -> {
              userAgentId = text(parser, value);
              yield 1 << 8;
            }
            case "registry_id" -> {
              registryId = text(parser, value);
              yield 1 << 9;
            }
            case "technical_identifiers" -> {
              technicalIdentifiers = identifiers(parser, value);
              yield 1 << 10;
            }
            default -> {
              parser.skipChildren();
              yield 0;
            }
          };
      seen = firstTime(seen, field);
    }
    return new IdentifierWire(
        type,
        userPointId,
        userAccountId,
        compartmentId,
        hash,
        email,
        vectorId,
        id,
        userAgentId,
        registryId,
        technicalIdentifiers);
  }

  private static Double number(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_NULL -> null;
      default -> throw UNSUPPORTED;
    };
  }
}

package io.audiencerelay.adapters.http.in.mapp;

import static io.audiencerelay.adapters.http.in.StreamingFields.UNSUPPORTED;
import static io.audiencerelay.adapters.http.in.StreamingFields.firstTime;
import static io.audiencerelay.adapters.http.in.StreamingFields.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.audiencerelay.adapters.http.in.mapp.MappDiyRoutes.MappRequest;
import io.audiencerelay.adapters.http.in.mapp.MappDiyRoutes.Mutation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Mapp DIY body with Jackson's streaming parser instead of binding it to the records: an
 * {@code ADD_TO_AUDIENCE} of a hundred mutations spent a third of its request thread's time in the
 * binder's property-based construction.
 *
 * <p>It covers what Mapp sends: string and null values, an integer or a string {@code Customer},
 * unknown fields of any shape. Anything else (a repeated field, a boolean where a string goes, a
 * fractional customer, malformed JSON) answers empty, so the caller binds the body with the mapper
 * and gets the mapper's result or its exact error. A test holds both readings equal.
 */
final class MappRequestReader {
  private final JsonFactory factory;

  MappRequestReader(JsonFactory factory) {
    this.factory = factory;
  }

  Optional<MappRequest> read(byte[] body) {
    try (JsonParser parser = factory.createParser(body)) {
      return Optional.of(request(parser));
    } catch (IOException | RuntimeException leftToTheBinder) {
      return Optional.empty();
    }
  }

  private static MappRequest request(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw UNSUPPORTED;
    }
    String type = null;
    String name = null;
    JsonNode customer = null;
    String audience = null;
    List<Mutation> mutations = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token == JsonToken.FIELD_NAME;
        token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      int bit =
          switch (field) {
            case "Type" -> {
              type = text(parser, value);
              yield 1;
            }
            case "Name" -> {
              name = text(parser, value);
              yield 1 << 1;
            }
            case "Customer" -> {
              customer = customer(parser, value);
              yield 1 << 2;
            }
            case "Audience" -> {
              audience = text(parser, value);
              yield 1 << 3;
            }
            case "Mutations" -> {
              mutations = mutations(parser, value);
              yield 1 << 4;
            }
            default -> {
              parser.skipChildren();
              yield 0;
            }
          };
      seen = firstTime(seen, bit);
    }
    return new MappRequest(type, name, customer, audience, mutations);
  }

  private static List<Mutation> mutations(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.START_ARRAY) {
      throw UNSUPPORTED;
    }
    List<Mutation> mutations = new ArrayList<>(128);
    for (JsonToken element = parser.nextToken();
        element != JsonToken.END_ARRAY;
        element = parser.nextToken()) {
      if (element == JsonToken.VALUE_NULL) {
        mutations.add(null);
      } else if (element == JsonToken.START_OBJECT) {
        mutations.add(mutation(parser));
      } else {
        throw UNSUPPORTED;
      }
    }
    return mutations;
  }

  private static Mutation mutation(JsonParser parser) throws IOException {
    String uuid = null;
    String audience = null;
    JsonNode customer = null;
    String externalUserId = null;
    int seen = 0;
    for (JsonToken token = parser.nextToken();
        token == JsonToken.FIELD_NAME;
        token = parser.nextToken()) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      int bit =
          switch (field) {
            case "Uuid" -> {
              uuid = text(parser, value);
              yield 1;
            }
            case "Audience" -> {
              audience = text(parser, value);
              yield 1 << 1;
            }
            case "Customer" -> {
              customer = customer(parser, value);
              yield 1 << 2;
            }
            case "External_user_id" -> {
              externalUserId = text(parser, value);
              yield 1 << 3;
            }
            default -> {
              parser.skipChildren();
              yield 0;
            }
          };
      seen = firstTime(seen, bit);
    }
    return new Mutation(uuid, audience, customer, externalUserId);
  }

  /** The node the binder makes of a customer number or string. */
  private static JsonNode customer(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING -> TextNode.valueOf(parser.getText());
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> IntNode.valueOf(parser.getIntValue());
            case LONG -> LongNode.valueOf(parser.getLongValue());
            default -> throw UNSUPPORTED;
          };
      case VALUE_NULL -> NullNode.getInstance();
      default -> throw UNSUPPORTED;
    };
  }
}

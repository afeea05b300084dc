package io.audiencerelay.adapters.http.in;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the streaming body readers (the feed's {@code UserSegmentUpdateReader}, Mapp's {@code
 * MappRequestReader}) share: their rule for leaving a body to the data binder, and how they read a
 * string field as the binder does.
 */
public final class StreamingFields {
  /** Thrown, without a stack, for what only the mapper reads. */
  public static final class Unsupported extends RuntimeException {
    private Unsupported() {
      super("left to the data binder", null, false, false);
    }
  }

  public static final Unsupported UNSUPPORTED = new Unsupported();

  private StreamingFields() {}

  /** A field given twice is left to the binder, whose rule for it is its own. */
  public static int firstTime(int seen, int field) {
    if ((seen & field) != 0) {
      throw UNSUPPORTED;
    }
    return seen | field;
  }

  /** A string field: the binder also takes a number's text as it is written. */
  public static String text(JsonParser parser, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getValueAsString();
      case VALUE_NULL -> null;
      default -> throw UNSUPPORTED;
    };
  }
}

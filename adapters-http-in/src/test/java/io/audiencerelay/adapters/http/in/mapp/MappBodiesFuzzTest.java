package io.audiencerelay.adapters.http.in.mapp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.mapp.MappDiyRoutes.MappRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * Mapp bodies, differentially: whatever the streaming reader takes, the mapper binds to the same
 * request (the reader is a shortcut, never a second meaning), and nothing but the mapper's own
 * refusal (answered 400 "malformed JSON body") escapes either. Seeds are in {@code
 * MappBodiesFuzzTestInputs/}.
 */
class MappBodiesFuzzTest {
  static final ObjectMapper MAPPER =
      new JsonBodies(new ObjectMapper())
          .mapper()
          .copy()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  static final MappRequestReader READER = new MappRequestReader(MAPPER.getFactory());

  @FuzzTest(maxDuration = "20s")
  void theStreamingReaderReadsWhatTheMapperBinds(byte[] body) {
    Optional<MappRequest> streamed = READER.read(body);
    MappRequest bound;
    try {
      bound = MAPPER.readValue(body, MappRequest.class);
    } catch (IOException refused) {
      if (streamed.isPresent()) {
        throw new AssertionError(
            "the streaming reader took a body the mapper refuses (" + refused.getMessage() + ")");
      }
      return;
    }
    if (streamed.isPresent() && !streamed.get().equals(bound)) {
      throw new AssertionError(
          "the streaming reader read " + streamed.get() + " where the mapper bound " + bound);
    }
  }
}

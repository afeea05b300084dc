package io.audiencerelay.adapters.http.in.mapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.mapp.MappDiyRoutes.MappRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming reader of Mapp bodies reads exactly what the mapper binds, or leaves it. */
class MappRequestReaderTest {
  final ObjectMapper mapper =
      new JsonBodies(new ObjectMapper())
          .mapper()
          .copy()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  final MappRequestReader reader = new MappRequestReader(mapper.getFactory());

  @Test
  void readsAnAddAsTheMapperBindsIt() throws Exception {
    String body =
        "{\"Type\":\"ADD_TO_AUDIENCE\",\"Mutations\":["
            + "{\"Uuid\":\"6c1f2e9a-0b7d\",\"Audience\":\"m4711-aud00\",\"Customer\":4711,"
            + "\"Platform\":205,\"External_user_id\":\"ext-1\"},"
            + "{\"Uuid\":\"7d2a\",\"Audience\":\"m4711-aud01\",\"Customer\":\"4711\"}]}";

    MappRequest read = reader.read(bytes(body)).orElseThrow();

    assertThat(read).isEqualTo(mapper.readValue(body, MappRequest.class));
    assertThat(read.type()).isEqualTo("ADD_TO_AUDIENCE");
    assertThat(read.mutations()).hasSize(2);
    assertThat(read.mutations().getFirst().customer().asText()).isEqualTo("4711");
    assertThat(read.mutations().getFirst().externalUserId()).isEqualTo("ext-1");
    assertThat(read.mutations().get(1).audience()).isEqualTo("m4711-aud01");
  }

  @Test
  void numbersNullsEscapesAndUnknownFieldsReadAsTheMapperReadsThem() throws Exception {
    List<String> bodies =
        List.of(
            "{\"Type\":\"CREATE_AUDIENCE\",\"Name\":\"Caf\\u00e9 \\\"fans\\\"\",\"Customer\":7}",
            "{\"Customer\":9007199254740993,\"Name\":12,\"Audience\":-1.5e3}",
            "{\"Type\":null,\"Name\":null,\"Customer\":null,\"Audience\":null,\"Mutations\":null}",
            "{\"Mutations\":[null,{},{\"Customer\":null,\"Uuid\":7,\"x\":{\"y\":[1]}}]}",
            "{\"extra\":{\"deep\":[1,{\"x\":[]}]},\"Type\":\"VALIDATE\",\"more\":[[\"a\"]],\"n\":true}",
            "{\"Mutations\":[{\"Platform\":{\"id\":205},\"Audience\":\"a\",\"Customer\":\"\"}]}",
            "  {\"Type\":\"VALIDATE\"}  trailing text the mapper ignores too");

    for (String body : bodies) {
      assertThat(reader.read(bytes(body)))
          .as(body)
          .contains(mapper.readValue(body, MappRequest.class));
    }
  }

  @Test
  void leavesToTheMapperWhatOnlyItReads() {
    List<String> bodies =
        List.of(
            "{\"Type\":\"A\",\"Type\":\"B\"}",
            "{\"Mutations\":[{\"Uuid\":\"a\",\"Uuid\":\"b\"}]}",
            "{\"Type\":true}",
            "{\"Name\":{\"nested\":1}}",
            "{\"Audience\":[\"a\"]}",
            "{\"Customer\":4.5}",
            "{\"Customer\":{\"id\":1}}",
            "{\"Customer\":123456789012345678901234567890}",
            "{\"Mutations\":{\"Uuid\":\"a\"}}",
            "{\"Mutations\":[\"a\"]}",
            "{\"Type\": \"A\",",
            "[{\"Type\":\"VALIDATE\"}]",
            "null",
            "not json");

    for (String body : bodies) {
      assertThat(reader.read(bytes(body))).as(body).isEmpty();
    }
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}

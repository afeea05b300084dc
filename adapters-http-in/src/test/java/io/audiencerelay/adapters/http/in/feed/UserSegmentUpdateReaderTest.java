package io.audiencerelay.adapters.http.in.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.feed.WireRequests.IdentifierWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.UserSegmentUpdateRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming reader of single updates reads exactly what the mapper binds, or leaves it. */
class UserSegmentUpdateReaderTest {
  final ObjectMapper mapper = new JsonBodies(new ObjectMapper()).mapper();
  final UserSegmentUpdateReader reader = new UserSegmentUpdateReader(mapper.getFactory());

  @Test
  void readsAFullUpdateAsTheMapperBindsIt() throws Exception {
    String body = FeedPluginRoutesTest.UPDATE;

    UserSegmentUpdateRequest read = reader.read(bytes(body)).orElseThrow();

    assertThat(read).isEqualTo(mapper.readValue(body, UserSegmentUpdateRequest.class));
    assertThat(read.feedId()).isEqualTo("6921");
    assertThat(read.ts()).isEqualTo(1718500005000.0);
    assertThat(read.operation()).isEqualTo("DELETE");
    assertThat(read.userIdentifiers()).hasSize(6);
    assertThat(read.userIdentifiers().get(1).compartmentId()).isEqualTo("1");
    IdentifierWire technical = read.userIdentifiers().get(4).technicalIdentifiers().getFirst();
    assertThat(technical.userAgentId()).isEqualTo("mob:and:raw:6d1f");
    assertThat(technical.registryId()).isEqualTo("12");
  }

  @Test
  void numbersNullsEscapesAndUnknownFieldsReadAsTheMapperReadsThem() throws Exception {
    List<String> bodies =
        List.of(
            "{\"feed_id\":12,\"segment_id\":-3.50e2,\"ts\":\"1\"}"
                .replace("\"ts\":\"1\"", "\"ts\":7"),
            "{\"feed_id\":null,\"user_identifiers\":null,\"ts\":null,\"operation\":null}",
            "{\"feed_id\":\"caf\\u00e9 \\\"quoted\\\"\",\"ts\":1.5E3}",
            "{\"extra\":{\"deep\":[1,{\"x\":[]}]},\"feed_id\":\"f\",\"more\":[[\"a\"]],\"n\":true}",
            "{\"user_identifiers\":[null,{},{\"type\":\"USER_POINT\",\"user_point_id\":\"u\",\"x\":{}}]}",
            "{\"user_identifiers\":[{\"type\":\"USER_DEVICE_POINT\",\"technical_identifiers\":"
                + "[null,{\"type\":\"MOBILE_ADVERTISING_ID\",\"user_agent_id\":9,\"registry_id\":null}]}]}",
            "{\"ts\":123456789012345678901234567890}",
            "  {\"feed_id\":\"f\"}  trailing text the mapper ignores too");

    for (String body : bodies) {
      assertThat(reader.read(bytes(body)))
          .as(body)
          .contains(mapper.readValue(body, UserSegmentUpdateRequest.class));
      assertThat(reader.read(body)).as(body).isEqualTo(reader.read(bytes(body)));
    }
  }

  @Test
  void leavesToTheMapperWhatOnlyItReads() {
    List<String> bodies =
        List.of(
            "{\"feed_id\":\"a\",\"feed_id\":\"b\"}",
            "{\"user_identifiers\":[{\"type\":\"A\",\"type\":\"B\"}]}",
            "{\"feed_id\":true}",
            "{\"feed_id\":{\"nested\":1}}",
            "{\"feed_id\":[\"a\"]}",
            "{\"ts\":\"1718500005000\"}",
            "{\"user_identifiers\":\"all\"}",
            "{\"user_identifiers\":{\"type\":\"USER_POINT\"}}",
            "{\"user_identifiers\":[\"USER_POINT\"]}",
            "{\"feed_id\": 12,",
            "[{\"feed_id\":\"1\"}]",
            "",
            "not json");

    for (String body : bodies) {
      assertThat(reader.read(bytes(body))).as(body).isEmpty();
      assertThat(reader.read(body)).as(body).isEmpty();
    }
  }

  /**
   * Random bodies built from what the platform sends and from what only the mapper reads: whenever
   * the reader answers, the mapper binds the same record; a body of only supported shapes is always
   * answered.
   */
  @Test
  void agreesWithTheMapperOnRandomBodies() throws Exception {
    Random random = new Random(20261123);
    int answered = 0;
    for (int i = 0; i < 3_000; i++) {
      boolean supportedOnly = random.nextBoolean();
      String body = randomUpdate(random, supportedOnly);
      var read = reader.read(bytes(body));
      if (supportedOnly) {
        assertThat(read).as(body).isPresent();
      }
      if (read.isPresent()) {
        answered++;
        assertThat(read.get())
            .as(body)
            .isEqualTo(mapper.readValue(body, UserSegmentUpdateRequest.class));
      }
    }
    assertThat(answered).isGreaterThan(1_500);
  }

  private static String randomUpdate(Random random, boolean supportedOnly) {
    List<String> fields = new ArrayList<>();
    for (String name :
        List.of(
            "feed_id",
            "session_id",
            "datamart_id",
            "segment_id",
            "feed_destination_id",
            "operation")) {
      if (random.nextInt(4) > 0) {
        fields.add(quote(name) + ":" + scalar(random, supportedOnly));
      }
    }
    if (random.nextInt(4) > 0) {
      fields.add("\"ts\":" + number(random, supportedOnly));
    }
    if (random.nextInt(5) > 0) {
      fields.add("\"user_identifiers\":" + identifiers(random, supportedOnly, 2));
    }
    if (random.nextBoolean()) {
      fields.add("\"user_profiles\":[{\"$compartment_id\":\"1\",\"tier\":[1,2,{\"a\":null}]}]");
    }
    java.util.Collections.shuffle(fields, random);
    return "{" + String.join(",", fields) + "}";
  }

  private static String identifiers(Random random, boolean supportedOnly, int depth) {
    if (random.nextInt(10) == 0) {
      return "null";
    }
    List<String> entries = new ArrayList<>();
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      if (random.nextInt(10) == 0) {
        entries.add("null");
        continue;
      }
      List<String> fields = new ArrayList<>();
      fields.add(
          "\"type\":"
              + quote(
                  List.of("USER_POINT", "USER_ACCOUNT", "USER_EMAIL", "USER_DEVICE_POINT", "NEW")
                      .get(random.nextInt(5))));
      for (String name :
          List.of(
              "user_point_id",
              "user_account_id",
              "compartment_id",
              "hash",
              "email",
              "vector_id",
              "id",
              "user_agent_id",
              "registry_id")) {
        if (random.nextInt(3) == 0) {
          fields.add(quote(name) + ":" + scalar(random, supportedOnly));
        }
      }
      if (depth > 0 && random.nextInt(3) == 0) {
        fields.add("\"technical_identifiers\":" + identifiers(random, supportedOnly, depth - 1));
      }
      if (random.nextInt(3) == 0) {
        fields.add("\"device\":{\"form_factor\":\"SMARTPHONE\",\"os\":[\"a\"]}");
      }
      java.util.Collections.shuffle(fields, random);
      entries.add("{" + String.join(",", fields) + "}");
    }
    return "[" + String.join(",", entries) + "]";
  }

  private static String scalar(Random random, boolean supportedOnly) {
    int pick = random.nextInt(supportedOnly ? 5 : 8);
    return switch (pick) {
      case 0, 1 -> quote("v" + random.nextInt(1000) + (random.nextBoolean() ? "\\u00e9\\n" : ""));
      case 2 -> Integer.toString(random.nextInt() % 100000);
      case 3 -> "-" + random.nextInt(100) + "." + random.nextInt(100) + "e1";
      case 4 -> "null";
      case 5 -> Boolean.toString(random.nextBoolean());
      case 6 -> "{\"x\":1}";
      default -> "[\"x\"]";
    };
  }

  private static String number(Random random, boolean supportedOnly) {
    int pick = random.nextInt(supportedOnly ? 3 : 5);
    return switch (pick) {
      case 0 -> Long.toString(1718500000000L + random.nextInt(100000));
      case 1 -> random.nextInt(1000) + "." + random.nextInt(1000);
      case 2 -> "null";
      case 3 -> quote(Integer.toString(random.nextInt(1000)));
      default -> "true";
    };
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

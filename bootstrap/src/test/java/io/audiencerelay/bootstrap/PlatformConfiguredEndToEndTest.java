package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.bootstrap.config.ConfigLoader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay run as a mediarithmics plugin with no local file: its destinations come from the plugin
 * version's configuration file, each feed's settings from its typed properties and a data file on
 * the platform, and one destination runs as a batched feed. A fake gateway serves all of it.
 */
class PlatformConfiguredEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String NAMES_URI = "mics://data_file/tenants/1185/audience names.json";

  @TempDir Path dir;
  @StartStop final MockWebServer gateway = new MockWebServer();
  @StartStop final MockWebServer partner = new MockWebServer();
  final HttpClient client = HttpClient.newHttpClient();

  /** Each feed's property list, as the gateway's {@code data} array. */
  final Map<String, String> properties = new ConcurrentHashMap<>();

  final Map<String, String> dataFiles = new ConcurrentHashMap<>();
  final List<RecordedRequest> partnerCalls = new CopyOnWriteArrayList<>();
  volatile int listStatus = 200;
  Main.Running relay;

  @BeforeEach
  void start() {
    gateway.setDispatcher(new Gateway());
    partner.setDispatcher(new Partner());
    properties.put(
        "6921",
        """
        [ {"technical_name": "destination", "property_type": "STRING", "value": {"value": "ads"}},
          {"technical_name": "ad_account_id", "property_type": "INT", "value": {"value": 777}},
          {"technical_name": "settings_file", "property_type": "DATA_FILE",
           "value": {"uri": "%s", "last_modified": 1}} ]
        """
            .formatted(NAMES_URI));
    properties.put(
        "6922",
        """
        [ {"technical_name": "destination", "property_type": "STRING", "value": {"value": "ads"}} ]
        """);
    properties.put(
        "6923",
        """
        [ {"technical_name": "destination", "property_type": "STRING", "value": {"value": "lists"}},
          {"technical_name": "target", "property_type": "STRING", "value": {"value": "newsletter"}} ]
        """);
    dataFiles.put(NAMES_URI, "{\"audience_names\": {\"84213\": \"Cart abandoners\"}}");
    relay =
        Main.start(
            new ConfigLoader(
                    Map.of(
                        "RELAY_CONFIG", "platform:configuration",
                        "GATEWAY_HOST", "127.0.0.1",
                        "GATEWAY_PORT", Integer.toString(gateway.getPort()),
                        "PLUGIN_WORKER_ID", "worker-1",
                        "PLUGIN_AUTHENTICATION_TOKEN", "gateway-token"))
                .load());
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop();
    }
  }

  @Test
  void aFeedsOwnAdAccountAndDataFileReachThePartnerAndAChangedFileTakesEffect() throws Exception {
    var first = post("/v1/external_segment_creation", creation("6921", "84213"));

    assertThat(first.statusCode()).isEqualTo(200);
    RecordedRequest created = lastPost();
    assertThat(created.getUrl().encodedPath()).isEqualTo("/v26.0/act_777/customaudiences");
    assertThat(form(created)).containsEntry("name", "Cart abandoners");

    // The platform's user uploads a new file: its last_modified changes, the relay reads it anew.
    dataFiles.put(NAMES_URI, "{\"audience_names\": {\"84214\": \"Big spenders\"}}");
    properties.computeIfPresent(
        "6921", (feed, list) -> list.replace("\"last_modified\": 1", "\"last_modified\": 2"));
    var second = post("/v1/external_segment_creation", creation("6921", "84214"));

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(form(lastPost())).containsEntry("name", "Big spenders");
  }

  @Test
  void aMissingRequiredPropertyIsTheProtocolsPublicError() throws Exception {
    int before = partnerCalls.size();

    var answer = post("/v1/external_segment_creation", creation("6922", "84213"));

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(json(answer).path("status").asText()).isEqualTo("error");
    assertThat(json(answer).path("visibility").asText()).isEqualTo("PUBLIC");
    assertThat(json(answer).path("message").asText())
        .isEqualTo(
            "Feed 6922: property 'ad_account_id' is required (the Meta ad account the audience is"
                + " created in, with or without act_): set it on the feed, or set"
                + " destinations.ads.ad_account_id");
    assertThat(partnerCalls).hasSize(before);
  }

  @Test
  void theBatchedFeedRoundTripDeliversWhatTheUpdateHandedBack() throws Exception {
    var update =
        post(
            "/v1/user_segment_update",
            """
            {"feed_id": "6923", "session_id": "18345", "datamart_id": "1509", "segment_id": "84215",
             "ts": 1718500000000, "operation": "UPSERT",
             "user_identifiers": [
               {"type": "USER_POINT", "user_point_id": "4b1f6c8e-2d3a-4e5f-9a7b-0c1d2e3f4a5b"},
               {"type": "USER_EMAIL", "hash": "5d41402abc4b2a76b9719d911017c592"}]}
            """);

    assertThat(update.statusCode()).isEqualTo(200);
    JsonNode item = json(update).path("data").path(0);
    assertThat(json(update).path("status").asText()).isEqualTo("ok");
    assertThat(item.path("type").asText()).isEqualTo("BATCH_DELIVERY");
    assertThat(item.path("grouping_key").asText()).isEqualTo("UPSERT");
    assertThat(item.path("content").path("user_identifiers")).hasSize(2);
    assertThat(partnerCalls).isEmpty(); // nothing queued: the platform holds it

    var batch = post("/v1/batch_update", batchOf(item.path("content").toString()));

    assertThat(batch.statusCode()).isEqualTo(200);
    assertThat(json(batch))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"OK\",\"sent_items_in_success\":1,\"sent_items_in_error\":0}"));
    Eventually.within(
        Duration.ofSeconds(10),
        () ->
            assertThat(partnerCalls)
                .anyMatch(call -> call.getUrl().encodedPath().equals("/lists/newsletter")));
    String delivered =
        partnerCalls.stream()
            .filter(call -> call.getUrl().encodedPath().equals("/lists/newsletter"))
            .findFirst()
            .orElseThrow()
            .getBody()
            .utf8();
    assertThat(delivered)
        .contains("4b1f6c8e-2d3a-4e5f-9a7b-0c1d2e3f4a5b")
        .contains("5d41402abc4b2a76b9719d911017c592");
  }

  @Test
  void theBatchedFeedAnswersErrorForUnusableItemsAndRetryWhenItCannotTakeMore() throws Exception {
    var unusable = post("/v1/batch_update", batchOf("{\"uuid\": \"not-relay-format\"}"));

    assertThat(unusable.statusCode()).isEqualTo(400);
    assertThat(json(unusable).path("status").asText()).isEqualTo("ERROR");
    assertThat(json(unusable).path("sent_items_in_error").asInt()).isEqualTo(1);

    // The partner is down: changes stay queued until the destination's queue is full.
    listStatus = 503;
    HttpResponse<String> answer = null;
    for (int i = 0; i < 20; i++) {
      answer =
          post(
              "/v1/batch_update",
              batchOf(
                  "{\"operation\": \"UPSERT\", \"user_identifiers\": [{\"type\": \"USER_POINT\","
                      + " \"user_point_id\": \"u"
                      + i
                      + "\"}]}"));
      if (answer.statusCode() != 200) {
        break;
      }
    }
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(json(answer).path("status").asText()).isEqualTo("RETRY");
    assertThat(answer.headers().firstValue("x-mics-next-msg-delay")).isPresent();
  }

  static String creation(String feed, String segment) {
    return "{\"feed_id\": \"%s\", \"datamart_id\": \"1509\", \"segment_id\": \"%s\"}"
        .formatted(feed, segment);
  }

  static String batchOf(String content) {
    return """
        {"batch_content": [%s], "ts": 1718500100000,
         "context": {"endpoint": "/v1/user_segment_update", "feed_id": "6923",
          "feed_session_id": "18345", "segment_id": "84215", "datamart_id": "1509",
          "grouping_key": "UPSERT"}}
        """
        .formatted(content);
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.server().port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  RecordedRequest lastPost() {
    return partnerCalls.stream()
        .filter(call -> call.getMethod().equals("POST"))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  static Map<String, String> form(RecordedRequest request) {
    Map<String, String> fields = new java.util.HashMap<>();
    for (String pair : request.getBody().utf8().split("&")) {
      String[] kv = pair.split("=", 2);
      fields.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return fields;
  }

  /** The plugin gateway: the configuration file, the feeds, their properties and data files. */
  final class Gateway extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      if (path.equals("/v1/configuration/technical_name=configuration")) {
        String base = partner.url("/").toString();
        return ok(
            """
            server: {host: 127.0.0.1, port: 0}
            admin: {port: 0}
            storage: {data_dir: '%s'}
            queue: {max_depth_per_destination: 3}
            delivery: {base_backoff_ms: 50, max_backoff_seconds: 1}
            destinations:
              ads: {type: meta, access_token: meta-token, base_url: '%s'}
              lists: {type: webhook, url: '%slists/{target}', feed_mode: batched}
            """
                .formatted(dir.resolve("data"), base, base));
      }
      if (path.equals("/v1/data_file/data")) {
        String file = dataFiles.get(request.getUrl().queryParameter("uri"));
        return file == null ? new MockResponse.Builder().code(404).build() : ok(file);
      }
      String[] parts = path.split("/");
      if (parts.length >= 4 && parts[2].equals("audience_segment_external_feeds")) {
        String feed = parts[3];
        if (parts.length == 5 && parts[4].equals("properties")) {
          return ok("{\"status\": \"ok\", \"data\": " + properties.get(feed) + "}");
        }
        return ok(
            "{\"status\": \"ok\", \"data\": {\"id\": \"%s\", \"organisation_id\": \"1185\"}}"
                .formatted(feed));
      }
      return new MockResponse.Builder().code(404).body("{\"status\":\"error\"}").build();
    }
  }

  /** Meta's custom audiences and the list webhook. */
  final class Partner extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      partnerCalls.add(request);
      String path = request.getUrl().encodedPath();
      if (path.endsWith("/customaudiences")) {
        return ok(request.getMethod().equals("GET") ? "{\"data\": []}" : "{\"id\": \"9001\"}");
      }
      if (path.startsWith("/lists/")) {
        return new MockResponse.Builder().code(listStatus).body("{}").build();
      }
      return new MockResponse.Builder().code(404).build();
    }
  }

  static MockResponse ok(String body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}

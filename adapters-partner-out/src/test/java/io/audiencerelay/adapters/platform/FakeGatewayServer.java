package io.audiencerelay.adapters.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The plugin gateway's feed and credential endpoints on a MockWebServer, with the reference
 * fixtures. Answers 401 to a request without the expected Basic auth, as the platform would.
 */
final class FakeGatewayServer extends Dispatcher {
  static final String AUTHORIZATION =
      "Basic cGx1Z2luLXdvcmtlci0xOjAxMjNhYmNk"; // plugin-worker-1:0123abcd
  static final String FEED_6921 =
      """
      { "status": "ok", "data": {
        "id": "6921", "plugin_id": "1043", "organisation_id": "1185",
        "group_id": "com.mediarithmics.audience.externalfeed", "artifact_id": "acme-connector", "version_id": "4410",
        "selected_identifying_resources": [ { "type": "USER_EMAIL" } ], "created_by": "2291" } }
      """;
  static final String PROPERTIES_6921 =
      """
      { "status": "ok", "count": 6, "data": [
        { "technical_name": "name", "property_type": "STRING", "value": { "value": "ACME connector" },
          "origin": "PLUGIN_STATIC", "writable": false, "deletable": false },
        { "technical_name": "destination", "property_type": "STRING", "value": { "value": "demo" },
          "origin": "INSTANCE", "writable": true, "deletable": true },
        { "technical_name": "ad_account_id", "property_type": "STRING", "value": { "value": "act_991" },
          "origin": "INSTANCE", "writable": true, "deletable": true },
        { "technical_name": "api_endpoint", "property_type": "URL", "value": { "url": "https://api.partner.example/v2" },
          "origin": "PLUGIN", "writable": true, "deletable": false },
        { "technical_name": "batch_size", "property_type": "INT", "value": { "value": 500 },
          "origin": "PLUGIN", "writable": true, "deletable": false },
        { "technical_name": "mapping_file", "property_type": "DATA_FILE",
          "value": { "uri": "mics://data_file/tenants/1185/plugins_conf/acme_mapping.json", "last_modified": 1717000000000 },
          "origin": "PLUGIN", "writable": true, "deletable": true },
        { "technical_name": "unset", "property_type": "STRING", "value": { "value": null } } ] }
      """;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  final Map<String, String> credentials = new ConcurrentHashMap<>();
  final AtomicInteger feedReads = new AtomicInteger();

  /** Data files by their mics:// uri, served by {@code GET /v1/data_file/data?uri=}. */
  final Map<String, String> dataFiles = new ConcurrentHashMap<>();

  /** Configuration files by technical name. */
  final Map<String, String> configurationFiles = new ConcurrentHashMap<>();

  volatile int failWith;

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!AUTHORIZATION.equals(request.getHeaders().get("Authorization"))) {
      return json(401, "{\"status\":\"error\",\"error\":\"unauthorized\"}");
    }
    if (failWith != 0) {
      return json(failWith, "{\"status\":\"error\"}");
    }
    String path = request.getUrl().encodedPath();
    return switch (request.getMethod() + " " + path) {
      case "GET /v1/audience_segment_external_feeds/6921" -> {
        feedReads.incrementAndGet();
        yield json(200, FEED_6921);
      }
      case "GET /v1/audience_segment_external_feeds/6921/properties" -> json(200, PROPERTIES_6921);
      case "GET /v1/data_file/data" -> {
        String file = dataFiles.get(request.getUrl().queryParameter("uri"));
        yield file == null
            ? json(404, "{\"status\":\"error\",\"error\":\"not found\"}")
            : new MockResponse.Builder().code(200).body(file).build();
      }
      default -> {
        if (path.startsWith("/v1/configuration/technical_name=")) {
          String file =
              configurationFiles.get(path.substring("/v1/configuration/technical_name=".length()));
          yield file == null
              ? json(404, "{\"status\":\"error\",\"error\":\"not found\"}")
              : new MockResponse.Builder().code(200).body(file).build();
        }
        if (path.startsWith("/v1/feed_destinations/") && path.endsWith("/credentials")) {
          String id = path.split("/")[3];
          if (request.getMethod().equals("POST")) {
            credentials.put(id, request.getBody().utf8());
            yield json(200, "{\"status\":\"ok\"}");
          }
          String stored = credentials.get(id);
          yield stored == null
              ? json(404, "{\"status\":\"error\",\"error\":\"not found\"}")
              : json(200, "{\"status\":\"ok\",\"data\":" + stored + "}");
        }
        yield json(404, "{\"status\":\"error\",\"error\":\"not found\"}");
      }
    };
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}

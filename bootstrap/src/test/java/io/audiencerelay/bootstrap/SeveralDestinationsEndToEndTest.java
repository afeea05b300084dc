package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.bootstrap.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as an operator runs it: six destinations of different types, the plugin gateway, Mapp
 * and synced segments configured, all from one YAML file. Every route of the authentication family
 * answers what the protocol expects (never a 500 because several destinations exist), and the
 * routes that do name a feed keep working.
 */
class SeveralDestinationsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @StartStop final MockWebServer gateway = new MockWebServer();
  @StartStop final MockWebServer partners = new MockWebServer();
  final HttpClient client = HttpClient.newHttpClient();
  Main.Running relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop();
    }
  }

  void start(String extraYaml) throws Exception {
    gateway.setDispatcher(new FakeGateway());
    partners.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).body("{\"id\":\"42\"}").build();
          }
        });
    String partner = partners.url("/").toString();
    Path config =
        Files.writeString(
            dir.resolve("relay.yaml"),
            """
            server: {host: 127.0.0.1, port: 0}
            admin: {port: 0}
            storage: {data_dir: %s}
            destinations:
              files: {type: file, directory: %s}
              hook: {type: webhook, url: '%shook/{audience}'}
              flags: {type: launchdarkly, access_token: api-1, project_key: web, environment_key: production, base_url: '%s'}
              ads:
                type: meta
                app_id: '1234'
                app_secret: s3cret
                redirect_uri: https://navigator.example/cb
                oauth_user_id: '2291'
                ad_account_id: act_1
                base_url: '%s'
              b2b: {type: linkedin, access_token: li-token, ad_account_id: '507', base_url: '%s'}
              dry-run: {type: recording}
            mapp: {secret: mapp-secret, destination: dry-run}
            synced_segments:
              rudderstack: {token: rs-token, destination: flags}
            %s
            """
                .formatted(
                    dir.resolve("data"),
                    dir.resolve("out"),
                    partner,
                    partner,
                    partner,
                    partner,
                    extraYaml));
    Map<String, String> env = new HashMap<>();
    env.put("RELAY_CONFIG", config.toString());
    env.put("GATEWAY_HOST", "127.0.0.1");
    env.put("GATEWAY_PORT", Integer.toString(gateway.getPort()));
    env.put("PLUGIN_WORKER_ID", "worker-1");
    env.put("PLUGIN_AUTHENTICATION_TOKEN", "gateway-token");
    relay = Main.start(new ConfigLoader(env).load());
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

  @Test
  void theAuthenticationRoutesFindTheirDestinationAmongSix() throws Exception {
    start("");

    var status =
        post(
            "/v1/authentication_status_queries",
            "{\"datamart_id\":\"1509\",\"plugin_version_id\":\"4410\",\"user_id\":\"2291\"}");
    var redirect =
        post(
            "/v1/oauth_redirect_url",
            "{\"feed_destination_id\":\"318\",\"plugin_version_id\":\"4410\"}");
    var test = post("/v1/test_authentication", "{\"feed_destination_id\":\"318\"}");
    var logout =
        post(
            "/v1/logout",
            "{\"user_id\":\"2291\",\"plugin_version_id\":\"4410\",\"datamart_id\":\"1509\"}");
    var values =
        post(
            "/v1/dynamic_property_values_queries",
            "{\"datamart_id\":\"1509\",\"user_id\":\"2291\",\"feed_destination_id\":\"999\"}");
    var valuesOfB2b =
        post(
            "/v1/dynamic_property_values_queries",
            "{\"datamart_id\":\"1509\",\"user_id\":\"2291\",\"properties\":[{\"technical_name\":"
                + "\"destination\",\"property_type\":\"STRING\",\"value\":{\"value\":\"b2b\"}}]}");

    // ads is the only destination with a partner login: it answers the OAuth routes.
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(json(status).path("status").asText()).isEqualTo("not_authenticated");
    assertThat(json(status).path("data").path("login_url").asText())
        .startsWith("https://www.facebook.com/");
    assertThat(redirect.statusCode()).isEqualTo(200);
    assertThat(json(redirect).path("login_url").asText()).contains("feed_destination_id=318");
    assertThat(test.statusCode()).isEqualTo(200);
    assertThat(json(test).path("status").asText()).isEqualTo("ok");
    assertThat(logout.statusCode()).isEqualTo(200);
    // Both Meta and LinkedIn list ad accounts: nothing says which, and the answer says how to.
    assertThat(values.statusCode()).isEqualTo(400);
    assertThat(json(values).path("message").asText())
        .startsWith("Several destinations can answer dynamic_property_values_queries (ads, b2b)")
        .contains("link feed destination 999 under feed_destinations");
    assertThat(valuesOfB2b.statusCode()).isNotEqualTo(500).isNotEqualTo(400);
  }

  @Test
  void configuredLinksChooseAndFeedRoutesKeepWorking() throws Exception {
    start(
        """
        feed_destinations: {"999": b2b}
        plugin_versions: {"4410": ads}
        """);

    var values =
        post(
            "/v1/dynamic_property_values_queries",
            "{\"datamart_id\":\"1509\",\"user_id\":\"2291\",\"feed_destination_id\":\"999\"}");
    var update =
        post(
            "/v1/user_segment_update",
            "{\"feed_id\":\"6921\",\"segment_id\":\"84213\",\"user_identifiers\":"
                + "[{\"type\":\"USER_POINT\",\"user_point_id\":\"u1\"}]}");
    var creation =
        post(
            "/v1/external_segment_creation",
            "{\"feed_id\":\"6921\",\"datamart_id\":\"1509\",\"segment_id\":\"84213\"}");

    assertThat(values.statusCode()).isNotEqualTo(400).isNotEqualTo(500);
    assertThat(partners.takeRequest().getUrl().encodedPath()).contains("adAccountUsers");
    assertThat(update.statusCode()).isEqualTo(200);
    assertThat(creation.statusCode()).isEqualTo(200);
    assertThat(json(creation).path("message").asText()).contains("destination 'files'");
  }

  /**
   * The plugin gateway: feed 6921 goes to the files destination; feed destination 318 has a login.
   */
  static final class FakeGateway extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      String body =
          switch (path) {
            case "/v1/audience_segment_external_feeds/6921" ->
                "{\"status\":\"ok\",\"data\":{\"id\":\"6921\",\"organisation_id\":\"1185\"}}";
            case "/v1/audience_segment_external_feeds/6921/properties" ->
                "{\"status\":\"ok\",\"count\":1,\"data\":[{\"technical_name\":\"destination\","
                    + "\"property_type\":\"STRING\",\"value\":{\"value\":\"files\"}}]}";
            case "/v1/feed_destinations/318/credentials" ->
                "{\"status\":\"ok\",\"data\":{\"scheme\":\"OAUTH2\",\"credentials\":"
                    + "{\"refresh_token\":\"long-lived\"}}}";
            default -> null;
          };
      return body == null
          ? new MockResponse.Builder().code(404).body("{\"status\":\"error\"}").build()
          : new MockResponse.Builder().code(200).body(body).build();
    }
  }
}

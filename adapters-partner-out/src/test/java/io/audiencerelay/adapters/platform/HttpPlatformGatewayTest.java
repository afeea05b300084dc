package io.audiencerelay.adapters.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.application.contract.PlatformGatewayContract;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformGateway.DataFileSettings;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperty;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpPlatformGatewayTest extends PlatformGatewayContract {
  @StartStop public final MockWebServer server = new MockWebServer();
  final FakeGatewayServer platform = new FakeGatewayServer();
  HttpPlatformGateway gateway;

  @BeforeEach
  void connect() {
    server.setDispatcher(platform);
    gateway =
        new HttpPlatformGateway(
            new OkHttpClient(), server.url("/"), "plugin-worker-1", "0123abcd", new ObjectMapper());
  }

  static final FeedProperty.DataFile SETTINGS =
      new FeedProperty.DataFile("mics://data_file/tenants/1185/a b.json", 1717000000000L);

  @Override
  protected PlatformGateway gateway() {
    platform.dataFiles.put(SETTINGS.uri(), SETTINGS_FILE_JSON);
    return gateway;
  }

  @Override
  protected FeedProperty.DataFile settingsFile() {
    return SETTINGS;
  }

  @Override
  protected FeedProperty.DataFile missingFile() {
    return new FeedProperty.DataFile("mics://data_file/none.json", null);
  }

  @Test
  void downloadsADataFileThroughTheGatewayWithItsUriEncodedAsTheSdkDoes() throws Exception {
    platform.dataFiles.put(SETTINGS.uri(), SETTINGS_FILE_JSON);

    gateway.dataFileSettings(SETTINGS);

    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getTarget())
        .isEqualTo("/v1/data_file/data?uri=mics%3A%2F%2Fdata_file%2Ftenants%2F1185%2Fa%20b.json");
    assertThat(request.getHeaders().get("Authorization"))
        .isEqualTo(FakeGatewayServer.AUTHORIZATION);
  }

  @Test
  void aDataFileThatIsNotAnObjectOfSettingsIsUnusableAndSaysWhy() {
    platform.dataFiles.put("mics://list", "[1, 2]");
    platform.dataFiles.put("mics://broken", "{\"a\": ");
    platform.dataFiles.put("mics://deep", "{\"a\": {\"b\": {\"c\": 1}}}");
    platform.dataFiles.put("mics://huge", "{\"a\": \"" + "x".repeat(DataFiles.MAX_BYTES) + "\"}");

    assertThat(reason("mics://list"))
        .isEqualTo("the data file must hold a JSON object of settings");
    assertThat(reason("mics://broken")).startsWith("the data file is not JSON");
    assertThat(reason("mics://deep")).contains("'a.b' must be text, a number or a boolean");
    assertThat(reason("mics://huge")).isEqualTo("the data file is larger than 1024 KiB");
  }

  private String reason(String uri) {
    return ((DataFileSettings.Unusable)
            gateway.dataFileSettings(new FeedProperty.DataFile(uri, null)))
        .reason();
  }

  @Test
  void readsAConfigurationFileByTechnicalNameInThePath() throws Exception {
    platform.configurationFiles.put("configuration", "destinations: {}");

    assertThat(gateway.configurationFile("configuration"))
        .hasValueSatisfying(bytes -> assertThat(new String(bytes)).isEqualTo("destinations: {}"));
    assertThat(gateway.configurationFile("other")).isEmpty();
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget())
        .isEqualTo("/v1/configuration/technical_name=configuration");
  }

  @Test
  void readsTheFeedAndItsPropertiesWithBasicAuthSentUpFront() throws InterruptedException {
    var feed = gateway.feed(new FeedId("6921"));

    assertThat(feed.organisationId()).isEqualTo("1185");
    assertThat(feed.properties().values())
        .containsEntry("name", "ACME connector")
        .containsEntry("api_endpoint", "https://api.partner.example/v2")
        .containsEntry("batch_size", "500")
        .containsEntry(
            "mapping_file", "mics://data_file/tenants/1185/plugins_conf/acme_mapping.json")
        .doesNotContainKey("unset");
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request.getHeaders().get("Authorization"))
          .isEqualTo(FakeGatewayServer.AUTHORIZATION);
      assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
      assertThat(request.getMethod()).isEqualTo("GET");
      paths.add(request.getUrl().encodedPath());
    }
    assertThat(paths)
        .containsExactlyInAnyOrder(
            "/v1/audience_segment_external_feeds/6921",
            "/v1/audience_segment_external_feeds/6921/properties");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void savesCredentialsInThePlatformsFormat() {
    gateway.saveCredentials(
        new FeedDestinationId("42"), DestinationCredentials.oauth2RefreshToken("rt-1"));

    assertThat(FakeGatewayServer.parse(platform.credentials.get("42")))
        .isEqualTo(
            FakeGatewayServer.parse(
                "{\"scheme\":\"OAUTH2\",\"credentials\":{\"refresh_token\":\"rt-1\"}}"));
  }

  @Test
  void anUnknownFeedOrAFailingGatewayIsReportedWithoutTheCredentials() {
    assertThatThrownBy(() -> gateway.feed(new FeedId("404")))
        .isInstanceOf(PlatformUnavailableException.class)
        .hasMessage("Feed 404 is unknown to the platform");

    platform.failWith = 500;
    assertThatThrownBy(() -> gateway.feed(new FeedId("6921")))
        .isInstanceOf(PlatformUnavailableException.class)
        .hasMessageContaining(
            "Gateway answered 500 to GET /v1/audience_segment_external_feeds/6921")
        .message()
        .doesNotContain("0123abcd")
        .doesNotContain("cGx1Z2luLXdvcmtlci0xOjAxMjNhYmNk");
  }

  @Test
  void wrongWorkerCredentialsAreAnError() {
    var wrong =
        new HttpPlatformGateway(
            new OkHttpClient(), server.url("/"), "plugin-worker-1", "nope", new ObjectMapper());

    assertThatThrownBy(() -> wrong.credentials(new FeedDestinationId("318")))
        .isInstanceOf(PlatformUnavailableException.class)
        .hasMessage("Gateway answered 401 to GET /v1/feed_destinations/318/credentials");
  }

  @Test
  void anUnreachableGatewayIsAnError() {
    var nowhere =
        new HttpPlatformGateway(
            new OkHttpClient(),
            okhttp3.HttpUrl.get("http://127.0.0.1:1/"),
            "w",
            "t",
            new ObjectMapper());

    assertThatThrownBy(() -> nowhere.feed(new FeedId("6921")))
        .isInstanceOf(PlatformUnavailableException.class)
        .hasMessageStartingWith(
            "Gateway unreachable on GET /v1/audience_segment_external_feeds/6921");
  }
}

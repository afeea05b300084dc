package io.audiencerelay.adapters.partner.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.RetryDelays;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.PartnerTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Facebook Login's endpoints, played by MockWebServer. */
class MetaOAuthTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @StartStop final MockWebServer graph = new MockWebServer();
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final MetaOAuth oauth =
      new MetaOAuth(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(clock), "meta"),
          new ObjectMapper(),
          clock);

  Destination destination() {
    return new Destination(
        new DestinationName("ads"),
        "meta",
        Map.of(
            "app_id", "1234",
            "app_secret", "s3cret",
            "redirect_uri", "https://navigator.example/cb",
            "base_url", graph.url("/").toString(),
            "graph_version", "v25.0",
            "ad_account_id", "act_99",
            "oauth_user_id", "2291"));
  }

  @Test
  void theDialogCarriesAppRedirectScopesAndState() {
    HttpUrl url = HttpUrl.get(oauth.authorizationUrl(destination(), "sealed"));

    assertThat(url.host()).isEqualTo("www.facebook.com");
    assertThat(url.encodedPath()).isEqualTo("/v25.0/dialog/oauth");
    assertThat(url.queryParameter("client_id")).isEqualTo("1234");
    assertThat(url.queryParameter("redirect_uri")).isEqualTo("https://navigator.example/cb");
    assertThat(url.queryParameter("state")).isEqualTo("sealed");
    assertThat(url.queryParameter("scope")).isEqualTo("ads_management,business_management");
  }

  @Test
  void theCodeBecomesALongLivedTokenInTwoCalls() throws Exception {
    graph.enqueue(
        json(
            200, "{\"access_token\":\"EAA-short\",\"token_type\":\"bearer\",\"expires_in\":3600}"));
    graph.enqueue(
        json(
            200,
            "{\"access_token\":\"EAA-long\",\"token_type\":\"bearer\",\"expires_in\":5183944}"));

    assertThat(oauth.exchangeCode(destination(), "c0de"))
        .isEqualTo(
            new GrantOutcome.Granted(
                new PartnerTokens("EAA-long", "EAA-long", NOW.plusSeconds(5183944), null)));
    RecordedRequest code = graph.takeRequest();
    assertThat(code.getUrl().encodedPath()).isEqualTo("/v25.0/oauth/access_token");
    assertThat(code.getUrl().queryParameter("code")).isEqualTo("c0de");
    assertThat(code.getUrl().queryParameter("client_secret")).isEqualTo("s3cret");
    assertThat(code.getUrl().queryParameter("redirect_uri"))
        .isEqualTo("https://navigator.example/cb");
    RecordedRequest exchange = graph.takeRequest();
    assertThat(exchange.getUrl().queryParameter("grant_type")).isEqualTo("fb_exchange_token");
    assertThat(exchange.getUrl().queryParameter("fb_exchange_token")).isEqualTo("EAA-short");
  }

  @Test
  void aRefusedCodeSaysWhyWithoutTheSecretAndAnOutageIsLater() {
    graph.enqueue(
        json(
            400,
            "{\"error\":{\"message\":\"This authorization code has expired.\",\"type\":\"OAuthException\",\"code\":100}}"));
    graph.enqueue(new MockResponse.Builder().code(503).build());

    GrantOutcome refused = oauth.exchangeCode(destination(), "c0de");
    assertThat(refused)
        .isEqualTo(new GrantOutcome.Revoked("This authorization code has expired. (code 100)"));
    assertThat(refused.toString()).doesNotContain("s3cret");
    assertThat(oauth.exchangeCode(destination(), "c0de"))
        .isInstanceOfSatisfying(
            GrantOutcome.Unavailable.class,
            later -> {
              assertThat(later.retryAfter()).isEqualTo(Duration.ofSeconds(30));
              assertThat(later.reason()).doesNotContain("s3cret").doesNotContain("c0de");
            });
  }

  @Test
  void aTokenNearItsEndNeedsTheUserAgain() {
    assertThat(oauth.refresh(destination(), new PartnerTokens("EAA-long", "EAA-long", NOW, null)))
        .isEqualTo(
            new GrantOutcome.Revoked("Meta user tokens last about 60 days; log in again to renew"));
    assertThat(graph.getRequestCount()).isZero();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}

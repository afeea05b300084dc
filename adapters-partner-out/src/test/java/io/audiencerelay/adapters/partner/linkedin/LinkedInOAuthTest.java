package io.audiencerelay.adapters.partner.linkedin;

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

/** LinkedIn's OAuth endpoints, played by MockWebServer. */
class LinkedInOAuthTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @StartStop final MockWebServer linkedin = new MockWebServer();
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final LinkedInOAuth oauth =
      new LinkedInOAuth(
          new PartnerHttp(new OkHttpClient(), new RetryDelays(clock), "linkedin"),
          new ObjectMapper(),
          clock);

  Destination destination() {
    return new Destination(
        new DestinationName("linkedin-acme"),
        "linkedin",
        Map.of(
            "client_id", "app-123",
            "client_secret", "s3cret",
            "redirect_uri", "https://navigator.example/oauth/callback",
            "oauth_url", linkedin.url("/oauth/v2").toString(),
            "ad_account_id", "507",
            "oauth_user_id", "2291"));
  }

  @Test
  void theConsentPageCarriesClientRedirectScopesAndState() {
    HttpUrl url = HttpUrl.get(oauth.authorizationUrl(destination(), "sealed-state"));

    assertThat(url.encodedPath()).isEqualTo("/oauth/v2/authorization");
    assertThat(url.queryParameter("response_type")).isEqualTo("code");
    assertThat(url.queryParameter("client_id")).isEqualTo("app-123");
    assertThat(url.queryParameter("redirect_uri"))
        .isEqualTo("https://navigator.example/oauth/callback");
    assertThat(url.queryParameter("scope")).isEqualTo("r_ads rw_dmp_segments");
    assertThat(url.queryParameter("state")).isEqualTo("sealed-state");
  }

  @Test
  void aCodeBuysBothTokensWithTheirLifetimes() throws Exception {
    linkedin.enqueue(
        json(
            200,
            "{\"access_token\":\"AQV-access\",\"expires_in\":5184000,\"refresh_token\":\"AQX-refresh\","
                + "\"refresh_token_expires_in\":31536000,\"scope\":\"r_ads,rw_dmp_segments\"}"));

    GrantOutcome outcome = oauth.exchangeCode(destination(), "c0de");

    assertThat(outcome)
        .isEqualTo(
            new GrantOutcome.Granted(
                new PartnerTokens(
                    "AQV-access",
                    "AQX-refresh",
                    NOW.plus(Duration.ofDays(60)),
                    NOW.plus(Duration.ofDays(365)))));
    RecordedRequest request = linkedin.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/oauth/v2/accessToken");
    assertThat(request.getHeaders().get("Content-Type"))
        .startsWith("application/x-www-form-urlencoded");
    assertThat(request.getBody().utf8())
        .isEqualTo(
            "grant_type=authorization_code&code=c0de"
                + "&redirect_uri=https%3A%2F%2Fnavigator.example%2Foauth%2Fcallback"
                + "&client_id=app-123&client_secret=s3cret");
  }

  @Test
  void aRefreshKeepsTheHardEndOfTheFirstConsent() throws Exception {
    Instant firstConsentEnds = NOW.plus(Duration.ofDays(306));
    linkedin.enqueue(
        json(
            200,
            "{\"access_token\":\"AQV-new\",\"expires_in\":5184000,\"refresh_token\":\"AQX-refresh\","
                + "\"refresh_token_expires_in\":26438400}"));

    GrantOutcome outcome =
        oauth.refresh(
            destination(), new PartnerTokens("AQV-old", "AQX-refresh", NOW, firstConsentEnds));

    assertThat(outcome)
        .isEqualTo(
            new GrantOutcome.Granted(
                new PartnerTokens(
                    "AQV-new", "AQX-refresh", NOW.plus(Duration.ofDays(60)), firstConsentEnds)));
    assertThat(linkedin.takeRequest().getBody().utf8())
        .isEqualTo(
            "grant_type=refresh_token&refresh_token=AQX-refresh&client_id=app-123"
                + "&client_secret=s3cret");
  }

  @Test
  void invalidGrantMeansANewLoginAndTheReasonHoldsNoSecret() {
    linkedin.enqueue(
        json(
            400,
            "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}"));

    GrantOutcome outcome =
        oauth.refresh(destination(), new PartnerTokens(null, "AQX-refresh", null, null));

    assertThat(outcome)
        .isEqualTo(new GrantOutcome.Revoked("invalid_grant: Token has been expired or revoked."));
    assertThat(outcome.toString()).doesNotContain("AQX-refresh").doesNotContain("s3cret");
  }

  @Test
  void anOutageOrThrottleIsTriedAgainLater() {
    linkedin.enqueue(new MockResponse.Builder().code(503).build());
    linkedin.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120").build());

    assertThat(oauth.exchangeCode(destination(), "c0de"))
        .isInstanceOfSatisfying(
            GrantOutcome.Unavailable.class,
            unavailable -> assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    assertThat(oauth.exchangeCode(destination(), "c0de"))
        .isInstanceOfSatisfying(
            GrantOutcome.Unavailable.class,
            unavailable -> {
              assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(120));
              assertThat(unavailable.reason()).doesNotContain("c0de").doesNotContain("s3cret");
            });
  }

  @Test
  void aDestinationWithAFixedTokenHasNoOAuthAndHalfAClientIsAnError() {
    var fixed =
        new Destination(
            new DestinationName("li"),
            "linkedin",
            Map.of("access_token", "t", "ad_account_id", "5"));
    var half =
        new Destination(
            new DestinationName("li"),
            "linkedin",
            Map.of("client_id", "app", "oauth_user_id", "2291", "ad_account_id", "5"));

    var neither =
        new Destination(new DestinationName("li"), "linkedin", Map.of("ad_account_id", "5"));
    var userWithoutApp =
        new Destination(
            new DestinationName("li"),
            "linkedin",
            Map.of("oauth_user_id", "2291", "ad_account_id", "5"));

    assertThat(LinkedInOAuth.APP.namedBy(fixed)).isFalse();
    assertThat(LinkedInOAuth.APP.problems(fixed)).isEmpty();
    assertThat(LinkedInOAuth.APP.namedBy(half)).isTrue();
    assertThat(LinkedInOAuth.APP.problems(half))
        .containsExactly(
            "client_secret is required for the LinkedIn login (client_id, client_secret,"
                + " redirect_uri)",
            "redirect_uri is required for the LinkedIn login (client_id, client_secret,"
                + " redirect_uri)");
    assertThat(LinkedInOAuth.APP.problems(neither))
        .containsExactly(
            "access_token (a member token with rw_dmp_segments) or oauth_user_id (the platform"
                + " user whose LinkedIn login the relay keeps) is required");
    assertThat(LinkedInOAuth.APP.problems(userWithoutApp))
        .containsExactly("oauth_user_id needs client_id, client_secret, redirect_uri");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}

package io.audiencerelay.adapters.partner.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.client.OAuthApp;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.PartnerHttp.Answer;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.PartnerTokens;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * LinkedIn's three-legged OAuth: the member consents on {@code /oauth/v2/authorization}; codes and
 * refresh tokens are traded on {@code /oauth/v2/accessToken}. Access tokens live 60 days; the
 * refresh token's 365 days run from the first consent and are not extended by a refresh, so the
 * relay keeps the first hard end. {@code invalid_grant} (and any other refusal of the token
 * endpoint) means the member must log in again. Built against LinkedIn's public documentation and
 * tested with MockWebServer.
 */
final class LinkedInOAuth implements OAuthProvider {
  static final String DEFAULT_OAUTH_URL = "https://www.linkedin.com/oauth/v2";
  static final String DEFAULT_SCOPES = "r_ads rw_dmp_segments";
  static final OAuthApp APP =
      new OAuthApp(
          List.of("client_id", "client_secret", "redirect_uri"),
          List.of("redirect_uri", "oauth_url"),
          "LinkedIn login",
          "a member token with rw_dmp_segments");

  /** The token endpoint's refusals are the member's grant, not a passing fault. */
  private static final PartnerHttp.ErrorTable TOKEN_ERRORS =
      (status, body, headers, delay) ->
          status == 400 || status == 401
              ? Optional.of(new Answer.Refused(status, body))
              : Optional.empty();

  private final PartnerHttp http;
  private final ObjectMapper json;
  private final Clock clock;

  LinkedInOAuth(PartnerHttp http, ObjectMapper json, Clock clock) {
    this.http = http;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String authorizationUrl(Destination destination, String state) {
    return HttpUrl.get(oauthUrl(destination))
        .newBuilder()
        .addPathSegment("authorization")
        .addQueryParameter("response_type", "code")
        .addQueryParameter("client_id", destination.setting("client_id").orElseThrow())
        .addQueryParameter("redirect_uri", destination.setting("redirect_uri").orElseThrow())
        .addQueryParameter("state", state)
        .addQueryParameter("scope", destination.setting("scopes").orElse(DEFAULT_SCOPES))
        .build()
        .toString();
  }

  @Override
  public GrantOutcome exchangeCode(Destination destination, String code) {
    return tokenCall(
        destination,
        new FormBody.Builder()
            .add("grant_type", "authorization_code")
            .add("code", code)
            .add("redirect_uri", destination.setting("redirect_uri").orElseThrow()),
        null);
  }

  @Override
  public GrantOutcome refresh(Destination destination, PartnerTokens grant) {
    return tokenCall(
        destination,
        new FormBody.Builder()
            .add("grant_type", "refresh_token")
            .add("refresh_token", grant.refreshToken()),
        grant);
  }

  private GrantOutcome tokenCall(
      Destination destination, FormBody.Builder form, PartnerTokens previous) {
    Instant now = clock.instant();
    Request request =
        new Request.Builder()
            .url(
                HttpUrl.get(oauthUrl(destination))
                    .newBuilder()
                    .addPathSegment("accessToken")
                    .build())
            .post(
                form.add("client_id", destination.setting("client_id").orElseThrow())
                    .add("client_secret", destination.setting("client_secret").orElseThrow())
                    .build())
            .build();
    return switch (http.send(request, TOKEN_ERRORS)) {
      case Answer.Ok ok -> granted(ok.body(), now, previous);
      case Answer.Retry retry ->
          new GrantOutcome.Unavailable(
              retry.reason(), retry.after().isZero() ? Duration.ofSeconds(30) : retry.after());
      case Answer.Refused refused -> new GrantOutcome.Revoked(refusal(refused));
    };
  }

  private GrantOutcome granted(byte[] body, Instant now, PartnerTokens previous) {
    JsonNode answer;
    try {
      answer = json.readTree(body);
    } catch (IOException e) {
      return new GrantOutcome.Unavailable(
          "LinkedIn's token endpoint answered something other than JSON", Duration.ofSeconds(30));
    }
    String accessToken = answer.path("access_token").asText("");
    if (accessToken.isEmpty()) {
      return new GrantOutcome.Unavailable(
          "LinkedIn's token endpoint answered without an access_token", Duration.ofSeconds(30));
    }
    String refreshToken = answer.path("refresh_token").asText(null);
    Instant accessEnds = expiry(answer.path("expires_in"), now);
    Instant refreshEnds = expiry(answer.path("refresh_token_expires_in"), now);
    if (previous != null && previous.refreshExpiresAt() != null) {
      // The 365 days run from the first consent whatever a refresh says.
      refreshEnds = previous.refreshExpiresAt();
    }
    return new GrantOutcome.Granted(
        new PartnerTokens(accessToken, refreshToken, accessEnds, refreshEnds));
  }

  private static Instant expiry(JsonNode seconds, Instant now) {
    return seconds.canConvertToLong() && seconds.asLong() > 0
        ? now.plusSeconds(seconds.asLong())
        : null;
  }

  /** The error code and description LinkedIn gave; never the request, which holds secrets. */
  private String refusal(Answer.Refused refused) {
    try {
      JsonNode error = json.readTree(refused.reason());
      String code = error.path("error").asText("");
      String description = error.path("error_description").asText("");
      if (!code.isEmpty()) {
        return description.isEmpty() ? code : code + ": " + description;
      }
    } catch (IOException e) {
      // Not JSON: fall through to the status.
    }
    return "LinkedIn refused the grant (HTTP " + refused.status() + ")";
  }

  static String oauthUrl(Destination destination) {
    return destination.setting("oauth_url").orElse(DEFAULT_OAUTH_URL);
  }
}

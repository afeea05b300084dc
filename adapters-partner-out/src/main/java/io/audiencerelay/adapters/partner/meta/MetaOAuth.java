package io.audiencerelay.adapters.partner.meta;

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
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Facebook Login for a Meta ads user: the consent dialog, the code traded for a short-lived token,
 * and that token traded at once for a long-lived one (about 60 days). Meta has no refresh token:
 * the long-lived token is what the platform keeps for the feed destination, and when it nears its
 * end the user must log in again. Built against Meta's public Graph API documentation and tested
 * with MockWebServer.
 */
final class MetaOAuth implements OAuthProvider {
  static final String DIALOG_HOST = "https://www.facebook.com/";
  static final String DEFAULT_SCOPES = "ads_management,business_management";
  static final OAuthApp APP =
      new OAuthApp(
          List.of("app_id", "app_secret", "redirect_uri"),
          List.of("redirect_uri", "dialog_url"),
          "Facebook Login",
          "a system-user token with ads_management");
  static final Duration LATER = Duration.ofSeconds(30);

  /** The token endpoint's 4xx is the code or token refused for good, not a passing fault. */
  private static final PartnerHttp.ErrorTable TOKEN_ERRORS =
      (status, body, headers, delay) ->
          status >= 400 && status < 500 && status != 429
              ? Optional.of(new Answer.Refused(status, body))
              : Optional.empty();

  private final PartnerHttp http;
  private final ObjectMapper json;
  private final Clock clock;

  MetaOAuth(PartnerHttp http, ObjectMapper json, Clock clock) {
    this.http = http;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String authorizationUrl(Destination destination, String state) {
    return HttpUrl.get(dialogUrl(destination))
        .newBuilder()
        .addQueryParameter("client_id", destination.setting("app_id").orElseThrow())
        .addQueryParameter("redirect_uri", destination.setting("redirect_uri").orElseThrow())
        .addQueryParameter("state", state)
        .addQueryParameter("scope", destination.setting("scopes").orElse(DEFAULT_SCOPES))
        .addQueryParameter("response_type", "code")
        .build()
        .toString();
  }

  @Override
  public GrantOutcome exchangeCode(Destination destination, String code) {
    GrantOutcome shortLived =
        tokenCall(
            destination,
            tokenUrl(destination)
                .addQueryParameter(
                    "redirect_uri", destination.setting("redirect_uri").orElseThrow())
                .addQueryParameter("code", code));
    if (!(shortLived instanceof GrantOutcome.Granted granted)) {
      return shortLived;
    }
    return tokenCall(
        destination,
        tokenUrl(destination)
            .addQueryParameter("grant_type", "fb_exchange_token")
            .addQueryParameter("fb_exchange_token", granted.tokens().accessToken()));
  }

  /** Meta user tokens cannot be renewed without the user: the answer is "log in again". */
  @Override
  public GrantOutcome refresh(Destination destination, PartnerTokens grant) {
    return new GrantOutcome.Revoked("Meta user tokens last about 60 days; log in again to renew");
  }

  private HttpUrl.Builder tokenUrl(Destination destination) {
    return HttpUrl.get(MetaGraph.baseUrl(destination))
        .newBuilder()
        .addPathSegment("oauth")
        .addPathSegment("access_token")
        .addQueryParameter("client_id", destination.setting("app_id").orElseThrow())
        .addQueryParameter("client_secret", destination.setting("app_secret").orElseThrow());
  }

  private GrantOutcome tokenCall(Destination destination, HttpUrl.Builder url) {
    Instant now = clock.instant();
    Request request = new Request.Builder().url(url.build()).get().build();
    return switch (http.send(request, TOKEN_ERRORS)) {
      case Answer.Retry retry ->
          new GrantOutcome.Unavailable(
              retry.reason(), retry.after().isZero() ? LATER : retry.after());
      case Answer.Refused refused -> new GrantOutcome.Revoked(refusal(refused));
      case Answer.Ok ok -> granted(ok.body(), now);
    };
  }

  private GrantOutcome granted(byte[] body, Instant now) {
    JsonNode answer;
    try {
      answer = json.readTree(body);
    } catch (IOException e) {
      return new GrantOutcome.Unavailable(
          "Meta's token endpoint answered something other than JSON", LATER);
    }
    String token = answer.path("access_token").asText("");
    if (token.isEmpty()) {
      return new GrantOutcome.Unavailable(
          "Meta's token endpoint answered without an access_token", LATER);
    }
    JsonNode expiresIn = answer.path("expires_in");
    Instant ends =
        expiresIn.canConvertToLong() && expiresIn.asLong() > 0
            ? now.plusSeconds(expiresIn.asLong())
            : null;
    // The long-lived token is also the durable credential the platform keeps.
    return new GrantOutcome.Granted(new PartnerTokens(token, token, ends, null));
  }

  /** Meta's error message; never the request, whose URL holds the secret and the code. */
  private String refusal(Answer.Refused refused) {
    try {
      JsonNode error = json.readTree(refused.reason()).path("error");
      String message = error.path("message").asText("");
      if (!message.isEmpty()) {
        return message + " (code " + error.path("code").asInt(-1) + ")";
      }
    } catch (IOException e) {
      // Not JSON: fall through to the status.
    }
    return "Meta refused the login (HTTP " + refused.status() + ")";
  }

  static String dialogUrl(Destination destination) {
    return destination
        .setting("dialog_url")
        .orElse(DIALOG_HOST + GraphVersion.of(destination) + "/dialog/oauth");
  }
}

package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.adapters.http.in.feed.WireRequests.AuthenticationRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.AuthenticationStatusRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.DynamicPropertyValuesRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.FeedDestinationRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.LogoutRequest;
import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.OAuthRedirectUrlQuery;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.domain.FeedDestinationId;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authentication family: status, the OAuth callback, logout, dynamic property values, the test
 * of stored credentials and the login URL.
 */
final class AuthenticationRoutes implements HttpService {
  private final FeedUseCases useCases;
  private final JsonBodies json;
  private final FeedAnswers answers;
  private final long maxBodyBytes;

  AuthenticationRoutes(
      FeedUseCases useCases, JsonBodies json, FeedAnswers answers, long maxBodyBytes) {
    this.useCases = useCases;
    this.json = json;
    this.answers = answers;
    this.maxBodyBytes = maxBodyBytes;
  }

  private byte[] body(ServerRequest req) {
    return RequestBodies.whole(req, maxBodyBytes);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/v1/authentication_status_queries", this::authenticationStatus)
        .post("/v1/authentication", this::authenticate)
        .post("/v1/logout", this::logout)
        .post("/v1/dynamic_property_values_queries", this::dynamicPropertyValues)
        .post("/v1/test_authentication", this::testAuthentication)
        .post("/v1/oauth_redirect_url", this::oauthRedirectUrl);
  }

  private void authenticationStatus(ServerRequest req, ServerResponse res) {
    AuthenticationStatusRequest request = json.read(body(req), AuthenticationStatusRequest.class);
    AuthenticationStatusQuery query =
        new AuthenticationStatusQuery(
            FeedWire.user(request.userId()),
            request.datamartId(),
            request.segmentId(),
            request.pluginVersionId(),
            FeedWire.properties(request.properties()));
    switch (useCases.queryAuthenticationStatus().query(query)) {
      case AuthenticationStatusResult.Authenticated authenticated -> {
        Map<String, Object> answer = FeedAnswers.body("authenticated", null);
        if (!authenticated.data().isEmpty()) {
          answer.put("data", authenticated.data());
        }
        answers.sendJson(res, Status.OK_200, answer);
      }
      case AuthenticationStatusResult.NotAuthenticated notAuthenticated -> {
        Map<String, Object> answer =
            FeedAnswers.body("not_authenticated", notAuthenticated.message());
        if (notAuthenticated.loginUrl() != null) {
          answer.put("data", Map.of("login_url", notAuthenticated.loginUrl()));
        }
        answers.sendJson(res, Status.OK_200, answer);
      }
      case Failed failed -> answers.sendFailed(res, failed);
      case NotImplemented notImplemented -> answers.sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> answers.sendUnroutable(res, unroutable);
    }
  }

  private void authenticate(ServerRequest req, ServerResponse res) {
    AuthenticationRequest request = json.read(body(req), AuthenticationRequest.class);
    AuthenticateCommand command =
        new AuthenticateCommand(
            FeedWire.user(request.userId()),
            request.pluginVersionId(),
            request.params() == null ? Map.of() : FeedWire.withoutNulls(request.params()),
            FeedWire.destinationId(request.feedDestinationId()));
    switch (useCases.authenticate().authenticate(command)) {
      // The refresh token is stored on the platform by the use case; it never goes back in the
      // answer.
      case AuthenticationResult.Authenticated ok ->
          answers.sendJson(res, Status.OK_200, FeedAnswers.body("ok", ok.message()));
      case Failed failed -> answers.sendFailed(res, failed);
      case NotImplemented notImplemented -> answers.sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> answers.sendUnroutable(res, unroutable);
    }
  }

  private void logout(ServerRequest req, ServerResponse res) {
    LogoutRequest request = json.read(body(req), LogoutRequest.class);
    LogoutCommand command =
        new LogoutCommand(
            FeedWire.user(request.userId()), request.pluginVersionId(), request.datamartId());
    switch (useCases.logout().logout(command)) {
      case LogoutResult.LoggedOut ok ->
          answers.sendJson(res, Status.OK_200, FeedAnswers.body("ok", ok.message()));
      case Failed failed -> answers.sendFailed(res, failed);
      case NotImplemented notImplemented -> answers.sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> answers.sendUnroutable(res, unroutable);
    }
  }

  private void dynamicPropertyValues(ServerRequest req, ServerResponse res) {
    DynamicPropertyValuesRequest request = json.read(body(req), DynamicPropertyValuesRequest.class);
    DynamicPropertyValuesQuery query =
        new DynamicPropertyValuesQuery(
            FeedWire.user(request.userId()),
            request.datamartId(),
            request.segmentId(),
            FeedWire.properties(request.properties()),
            FeedWire.destinationId(request.feedDestinationId()));
    switch (useCases.queryDynamicPropertyValues().query(query)) {
      case DynamicPropertyValuesResult.Values values -> {
        List<Map<String, Object>> data = new ArrayList<>();
        for (var property : values.properties()) {
          List<Map<String, String>> choices = new ArrayList<>();
          for (var choice : property.choices()) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("label", choice.label());
            entry.put("value", choice.value());
            choices.add(entry);
          }
          Map<String, Object> described = new LinkedHashMap<>();
          described.put("property_technical_name", property.technicalName());
          described.put("enum", choices);
          data.add(described);
        }
        Map<String, Object> answer = FeedAnswers.body("ok", null);
        answer.put("data", data);
        answers.sendJson(res, Status.OK_200, answer);
      }
      case DynamicPropertyValuesResult.Empty empty ->
          answers.sendJson(res, Status.OK_200, FeedAnswers.body("empty", empty.message()));
      case Failed failed -> answers.sendFailed(res, failed);
      case NotImplemented notImplemented -> answers.sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> answers.sendUnroutable(res, unroutable);
    }
  }

  private void testAuthentication(ServerRequest req, ServerResponse res) {
    FeedDestinationRequest request = json.read(body(req), FeedDestinationRequest.class);
    FeedDestinationId destination = FeedWire.requiredDestinationId(request.feedDestinationId());
    switch (useCases.testAuthentication().test(destination)) {
      case CredentialsTestResult.Valid valid ->
          answers.sendJson(res, Status.OK_200, FeedAnswers.body("ok", valid.message()));
      case CredentialsTestResult.Invalid invalid ->
          answers.sendJson(
              res,
              Status.UNAUTHORIZED_401,
              FeedAnswers.body("invalid_credentials", invalid.message()));
      case Failed failed -> answers.sendFailed(res, failed);
      case NotImplemented notImplemented -> answers.sendNotImplemented(res, notImplemented);
      case Unroutable unroutable -> answers.sendUnroutable(res, unroutable);
    }
  }

  private void oauthRedirectUrl(ServerRequest req, ServerResponse res) {
    FeedDestinationRequest request = json.read(body(req), FeedDestinationRequest.class);
    OAuthRedirectUrlQuery query =
        new OAuthRedirectUrlQuery(
            FeedWire.requiredDestinationId(request.feedDestinationId()), request.pluginVersionId());
    switch (useCases.createOAuthRedirectUrl().create(query)) {
      case OAuthRedirectResult.LoginUrl url ->
          answers.sendJson(res, Status.OK_200, Map.of("login_url", url.url()));
      case Failed failed -> answers.sendFailed(res, failed);
      // The SDK's answer when a plugin has no OAuth: this route has no not_implemented status.
      case Unroutable unroutable -> answers.sendUnroutable(res, unroutable);
      case NotImplemented notImplemented ->
          answers.sendJson(
              res,
              Status.INTERNAL_SERVER_ERROR_500,
              FeedAnswers.body(
                  "error",
                  notImplemented.message() != null
                      ? notImplemented.message()
                      : "onCreateOAuthRedirectUrl is not implemented"));
    }
  }
}

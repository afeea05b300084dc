package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.in.CreateOAuthRedirectUrlUseCase;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.OAuthRedirectUrlQuery;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.Destination;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds the partner login URL. The platform requires a query parameter {@code feed_destination_id}
 * equal to the requested one: it is added when the partner's URL lacks it, and a URL carrying a
 * different one is refused. For partners with an {@link
 * io.audiencerelay.application.port.out.OAuthProvider} the relay builds the URL itself, with a
 * sealed {@code state} bound to the destination and the feed destination.
 */
public final class CreateOAuthRedirectUrlService implements CreateOAuthRedirectUrlUseCase {
  static final String PARAM = "feed_destination_id";

  private final AuthenticationRouting routing;
  private final OAuthStates states;

  public CreateOAuthRedirectUrlService(AuthenticationRouting routing, OAuthStates states) {
    this.routing = routing;
    this.states = states;
  }

  @Override
  public OAuthRedirectResult create(OAuthRedirectUrlQuery query) {
    var hints = AuthenticationRouting.Hints.of(query.feedDestinationId(), query.pluginVersionId());
    return switch (routing.choose(PartnerCapability.OAUTH_REDIRECT_URL, hints)) {
      case AuthenticationRouting.Choice.NotOffered none -> new NotImplemented(null);
      case AuthenticationRouting.Choice.Unresolved unresolved ->
          new Unroutable(unresolved.message());
      case AuthenticationRouting.Choice.Chosen resolved -> {
        Destination destination = resolved.route().destination();
        OAuthRedirectResult result =
            resolved
                .route()
                .connector()
                .oauth(destination)
                .<OAuthRedirectResult>map(
                    provider ->
                        new OAuthRedirectResult.LoginUrl(
                            provider.authorizationUrl(
                                destination,
                                states.seal(destination.name(), query.feedDestinationId(), null))))
                .orElseGet(
                    () ->
                        switch (resolved
                            .route()
                            .connector()
                            .oauthLoginUrl(
                                destination,
                                new UserRequest(
                                    null,
                                    null,
                                    null,
                                    query.pluginVersionId(),
                                    query.feedDestinationId(),
                                    null,
                                    null))) {
                          case PartnerAnswer.Given<String> given ->
                              new OAuthRedirectResult.LoginUrl(given.value());
                          case PartnerAnswer.Unavailable<String> unavailable ->
                              new Failed(unavailable.reason());
                          case PartnerAnswer.NotOffered<String> none -> new NotImplemented(null);
                        });
        yield result instanceof OAuthRedirectResult.LoginUrl url
            ? withDestinationId(url.url(), query.feedDestinationId().value())
            : result;
      }
    };
  }

  static OAuthRedirectResult withDestinationId(String url, String destinationId) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return new Failed("The partner returned an invalid login URL");
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      return new Failed("The partner returned an invalid login URL");
    }
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        if (name.equals(PARAM)) {
          String value =
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          return value.equals(destinationId)
              ? new OAuthRedirectResult.LoginUrl(url)
              : new Failed(
                  "login_url must contain feed_destination_id as query param: " + destinationId);
        }
      }
    }
    String param = PARAM + "=" + URLEncoder.encode(destinationId, StandardCharsets.UTF_8);
    int fragment = url.indexOf('#');
    String base = fragment < 0 ? url : url.substring(0, fragment);
    String tail = fragment < 0 ? "" : url.substring(fragment);
    return new OAuthRedirectResult.LoginUrl(base + (query == null ? "?" : "&") + param + tail);
  }
}

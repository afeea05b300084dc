package io.audiencerelay.application.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.fakes.ScriptedOAuthProvider;
import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.OAuthRedirectUrlQuery;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.Visibility;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole OAuth flow for a partner with an OAuth provider, run by the relay's services. */
class OAuthFlowTest {
  static final PartnerTokens GRANT =
      new PartnerTokens(
          "access-1",
          "refresh-1",
          DomainFixtures.T0.plus(Duration.ofDays(60)),
          DomainFixtures.T0.plus(Duration.ofDays(365)));

  final Relay relay = new Relay();
  final ScriptedOAuthProvider partner = new ScriptedOAuthProvider();
  final FeedDestinationId destination318 = new FeedDestinationId("318");
  final PlatformUserId alice = new PlatformUserId("2291");
  final TokenKey alicesGrant = new TokenKey(new DestinationName("demo"), "2291");

  final CreateOAuthRedirectUrlService redirect =
      new CreateOAuthRedirectUrlService(relay.authRouting, relay.states);
  final AuthenticateService authenticate =
      new AuthenticateService(relay.authRouting, relay.gateway, relay.states, relay.grants);
  final QueryAuthenticationStatusService status =
      new QueryAuthenticationStatusService(relay.authRouting, relay.states, relay.grants);
  final LogoutService logout = new LogoutService(relay.authRouting, relay.grants);

  @BeforeEach
  void partnerWithOAuth() {
    relay.partner.oauthProvider = partner;
    partner.exchangeAnswer = new GrantOutcome.Granted(GRANT);
  }

  @Test
  void theLoginUrlCarriesASealedStateAndTheFeedDestination() {
    String url = loginUrl();

    assertThat(url)
        .startsWith("https://partner.example/oauth/authorize?client_id=relay&state=")
        .endsWith("&feed_destination_id=318");
    assertThat(relay.states.open(stateOf(url))).isInstanceOf(OAuthStates.Check.Valid.class);
  }

  @Test
  void theCallbackExchangesTheCodeStoresTheGrantAndHandsTheRefreshTokenToThePlatform() {
    var result = authenticate.authenticate(callback(alice, stateOf(loginUrl()), "c0de"));

    assertThat(result)
        .isEqualTo(
            new AuthenticationResult.Authenticated(
                "Connected to the scripted account", "refresh-1"));
    assertThat(partner.exchangedCodes).containsExactly("c0de");
    assertThat(relay.tokens.grants).containsExactly(Map.entry(alicesGrant, GRANT));
    assertThat(relay.gateway.credentials)
        .containsEntry(destination318, DestinationCredentials.oauth2RefreshToken("refresh-1"));
    assertThat(status(alice)).isInstanceOf(AuthenticationStatusResult.Authenticated.class);
  }

  @Test
  void aStateIsRefusedWhenReplayedTamperedOrExpired() {
    String state = stateOf(loginUrl());
    authenticate.authenticate(callback(alice, state, "c0de"));

    assertThat(authenticate.authenticate(callback(alice, state, "c0de")))
        .isEqualTo(
            new Failed(
                "The OAuth state was already used: start the login again", Visibility.PUBLIC));
    assertThat(authenticate.authenticate(callback(alice, "x" + stateOf(loginUrl()), "c0de")))
        .isEqualTo(
            new Failed(
                "The OAuth state is not one this relay issued (altered, truncated or sealed with"
                    + " another key)",
                Visibility.PUBLIC));
    String late = stateOf(loginUrl());
    relay.clock.advance(Duration.ofMinutes(11));
    assertThat(authenticate.authenticate(callback(alice, late, "c0de")))
        .isEqualTo(
            new Failed("The OAuth state has expired: start the login again", Visibility.PUBLIC));
    assertThat(partner.exchangedCodes).containsExactly("c0de");
  }

  @Test
  void aStateIssuedForOneUserOrFeedDestinationDoesNotServeAnother() {
    String alicesState =
        stateOf(((AuthenticationStatusResult.NotAuthenticated) status(alice)).loginUrl());
    var bob = new PlatformUserId("5150");

    assertThat(authenticate.authenticate(callback(bob, alicesState, "c0de")))
        .isEqualTo(new Failed("The OAuth state was issued for another user", Visibility.PUBLIC));

    String for318 = stateOf(loginUrl());
    var elsewhere =
        new AuthenticateCommand(
            alice, "4410", Map.of("state", for318, "code", "c0de"), new FeedDestinationId("999"));
    assertThat(authenticate.authenticate(elsewhere))
        .isEqualTo(
            new Failed(
                "The OAuth state was issued for another feed destination", Visibility.PUBLIC));
    assertThat(partner.exchangedCodes).isEmpty();
    assertThat(relay.tokens.grants).isEmpty();
  }

  @Test
  void aRefusedConsentOrCodeIsReportedAndStoresNothing() {
    var denied = new HashMap<String, String>();
    denied.put("state", stateOf(loginUrl()));
    denied.put("error", "user_cancelled_login");
    denied.put("error_description", "The member declined");
    assertThat(
            authenticate.authenticate(
                new AuthenticateCommand(alice, "4410", denied, destination318)))
        .isEqualTo(
            new Failed("The partner refused the login: The member declined", Visibility.PUBLIC));

    partner.exchangeAnswer = new GrantOutcome.Revoked("invalid_grant: code expired");
    assertThat(authenticate.authenticate(callback(alice, stateOf(loginUrl()), "old")))
        .isEqualTo(
            new Failed(
                "The partner refused the code: invalid_grant: code expired", Visibility.PUBLIC));
    assertThat(relay.tokens.grants).isEmpty();
    assertThat(relay.gateway.credentials).isEmpty();
  }

  @Test
  void aRevokedGrantShowsInTheStatusWithAFreshLoginUrl() {
    authenticate.authenticate(callback(alice, stateOf(loginUrl()), "c0de"));
    relay.clock.advance(Duration.ofDays(61));
    partner.refreshAnswer = new GrantOutcome.Revoked("invalid_grant: the member revoked access");
    relay.grants.access(
        relay.directory.all().iterator().next().destination(), partner, alicesGrant);

    assertThat(status(alice))
        .isInstanceOfSatisfying(
            AuthenticationStatusResult.NotAuthenticated.class,
            answer -> {
              assertThat(answer.message())
                  .isEqualTo("Log in again: invalid_grant: the member revoked access");
              assertThat(answer.loginUrl()).startsWith("https://partner.example/oauth/authorize");
            });
  }

  @Test
  void withSeveralDestinationsTheStateSaysWhichOneTheCallbackIsFor() {
    var twoDestinations = new Relay("demo", "other");
    twoDestinations.partner.oauthProvider = partner;
    var service =
        new AuthenticateService(
            twoDestinations.authRouting,
            twoDestinations.gateway,
            twoDestinations.states,
            twoDestinations.grants);
    String state = twoDestinations.states.seal(new DestinationName("other"), null, alice);

    assertThat(
            service.authenticate(
                new AuthenticateCommand(
                    alice, "4410", Map.of("state", state, "code", "c0de"), null)))
        .isInstanceOf(AuthenticationResult.Authenticated.class);
    assertThat(twoDestinations.tokens.grants)
        .containsOnlyKeys(new TokenKey(new DestinationName("other"), "2291"));
  }

  @Test
  void aStoreThatCannotKeepGrantsSaysWhatToConfigure() {
    var refusingStore =
        new io.audiencerelay.application.port.out.TokenStore() {
          @Override
          public void save(TokenKey key, PartnerTokens tokens) {
            throw new IllegalStateException("storage.token_keys is required");
          }

          @Override
          public StoredGrant read(TokenKey key) {
            return new StoredGrant.Absent();
          }

          @Override
          public java.util.List<TokenKey> keys() {
            return java.util.List.of();
          }

          @Override
          public void delete(TokenKey key) {}
        };
    var service =
        new AuthenticateService(
            relay.authRouting,
            relay.gateway,
            relay.states,
            new PartnerGrants(refusingStore, relay.clock));

    assertThat(service.authenticate(callback(alice, stateOf(loginUrl()), "c0de")))
        .isEqualTo(
            new Failed("The relay could not keep the grant: storage.token_keys is required"));
    assertThat(relay.gateway.credentials).isEmpty();
  }

  @Test
  void logoutForgetsTheGrant() {
    authenticate.authenticate(callback(alice, stateOf(loginUrl()), "c0de"));

    assertThat(logout.logout(new LogoutCommand(alice, "4410", "1509")))
        .isInstanceOf(LogoutResult.LoggedOut.class);

    assertThat(relay.tokens.grants).isEmpty();
    assertThat(status(alice)).isInstanceOf(AuthenticationStatusResult.NotAuthenticated.class);
  }

  private String loginUrl() {
    return ((OAuthRedirectResult.LoginUrl)
            redirect.create(new OAuthRedirectUrlQuery(destination318, "4410")))
        .url();
  }

  private AuthenticationStatusResult status(PlatformUserId user) {
    return status.query(
        new AuthenticationStatusQuery(user, "1509", "84213", "4410", FeedProperties.none()));
  }

  private AuthenticateCommand callback(PlatformUserId user, String state, String code) {
    return new AuthenticateCommand(
        user, "4410", Map.of("state", state, "code", code), destination318);
  }

  private static String stateOf(String url) {
    Matcher matcher =
        Pattern.compile("(?:^|&)state=([^&]+)").matcher(URI.create(url).getRawQuery());
    assertThat(matcher.find()).as("state in " + url).isTrue();
    return matcher.group(1);
  }
}

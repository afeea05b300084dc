package io.audiencerelay.application.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.fakes.ScriptedOAuthProvider;
import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.OAuthRedirectUrlQuery;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.Unroutable;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.application.service.routing.DestinationLinks;
import io.audiencerelay.application.service.segment.CreateExternalSegmentService;
import io.audiencerelay.application.service.update.UpdateUserSegmentService;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.PlatformUserId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * How the authentication routes, which name no feed, find their destination among several: their
 * properties, the sealed state, the feed destination's link (configured or learned from creation
 * and connection), the plugin version's link, or the only destination offering the route. Nothing
 * offering it is the protocol's not_implemented; a real ambiguity a client error naming the
 * setting.
 */
class SeveralDestinationsAuthenticationTest {
  static final PlatformUserId ALICE = new PlatformUserId("2291");
  static final FeedDestinationId FD_318 = new FeedDestinationId("318");

  /** Every route of the authentication family, asked once with no hint beyond its usual ids. */
  static List<Object> askEveryRoute(Relay relay, FeedProperties properties) {
    return List.of(
        new QueryAuthenticationStatusService(relay.authRouting, relay.states, relay.grants)
            .query(new AuthenticationStatusQuery(ALICE, "1509", "84213", "4410", properties)),
        new AuthenticateService(relay.authRouting, relay.gateway, relay.states, relay.grants)
            .authenticate(new AuthenticateCommand(ALICE, "4410", Map.of("code", "c"), null)),
        new LogoutService(relay.authRouting, relay.grants)
            .logout(new LogoutCommand(ALICE, "4410", "1509")),
        new QueryDynamicPropertyValuesService(relay.authRouting, relay.gateway, relay.grants)
            .query(new DynamicPropertyValuesQuery(ALICE, "1509", "84213", properties, FD_318)),
        new TestAuthenticationService(relay.authRouting, relay.gateway).test(FD_318),
        new CreateOAuthRedirectUrlService(relay.authRouting, relay.states)
            .create(new OAuthRedirectUrlQuery(FD_318, "4410")));
  }

  @Test
  void withoutAnyDestinationOfferingThemEveryRouteIsNotImplemented() {
    var relay = new Relay("files", "hook", "flags", "ads", "b2b", "dry-run");
    relay.partner.capabilities = Set.of();
    relay.partner.oauthProvider = null;
    relay.gateway.credentials.put(FD_318, DestinationCredentials.oauth2RefreshToken("rt"));

    assertThat(askEveryRoute(relay, FeedProperties.none()))
        .allSatisfy(answer -> assertThat(answer).isInstanceOf(NotImplemented.class));
  }

  @Nested
  class OneOAuthDestinationAmongSix {
    final Relay relay = new Relay("files", "hook", "flags", "ads", "b2b", "dry-run");
    final ScriptedOAuthProvider linkedIn = new ScriptedOAuthProvider();

    {
      relay.partner.capabilities = Set.of();
      relay.partner.oauthProvider = linkedIn;
      relay.partner.oauthAt = destination -> destination.name().value().equals("b2b");
      relay.partner.capabilitiesAt.put(
          "b2b",
          Set.of(PartnerCapability.DYNAMIC_PROPERTY_VALUES, PartnerCapability.TEST_AUTHENTICATION));
    }

    @Test
    void everyRouteGoesToTheOnlyDestinationOfferingIt() {
      relay.gateway.credentials.put(FD_318, DestinationCredentials.oauth2RefreshToken("rt"));
      relay.grants.save(
          new TokenKey(new DestinationName("b2b"), "2291"),
          new PartnerTokens("token-of-alice", null, null, null));

      List<Object> answers = askEveryRoute(relay, FeedProperties.none());

      assertThat(answers.get(0)).isInstanceOf(AuthenticationStatusResult.Authenticated.class);
      // No state: the relay's flow refuses the callback, at the right destination.
      assertThat(answers.get(1)).isNotInstanceOf(Unroutable.class);
      assertThat(answers.get(1)).isNotInstanceOf(NotImplemented.class);
      assertThat(answers.get(2)).isInstanceOf(LogoutResult.LoggedOut.class);
      assertThat(relay.tokens.grants).isEmpty();
      assertThat(answers.get(3)).isInstanceOf(DynamicPropertyValuesResult.Empty.class);
      assertThat(answers.get(4)).isInstanceOf(NotImplemented.class); // the scripted partner's own
      assertThat(relay.partner.testedCredentials).hasSize(1);
      assertThat(answers.get(5))
          .isInstanceOfSatisfying(
              OAuthRedirectResult.LoginUrl.class,
              url -> assertThat(url.url()).startsWith("https://partner.example/oauth/authorize"));
    }

    @Test
    void aDestinationNamedByTheRequestThatDoesNotOfferTheRouteIsNotImplemented() {
      var answers =
          askEveryRoute(relay, new FeedProperties(Map.of(FeedProperties.DESTINATION, "files")));

      assertThat(answers.get(0)).isInstanceOf(NotImplemented.class);
      assertThat(answers.get(3)).isInstanceOf(NotImplemented.class);
    }

    @Test
    void aDestinationNamedByTheRequestThatIsNotConfiguredIsAClientError() {
      var answers =
          askEveryRoute(relay, new FeedProperties(Map.of(FeedProperties.DESTINATION, "tiktok")));

      assertThat(answers.get(0))
          .isEqualTo(
              new Unroutable(
                  "The feed property 'destination' names 'tiktok', which is not a configured"
                      + " destination (configured: files, hook, flags, ads, b2b, dry-run)"));
    }
  }

  @Nested
  class TwoOAuthDestinations {
    final Relay relay = new Relay("files", "ads", "b2b");
    final ScriptedOAuthProvider partner = new ScriptedOAuthProvider();

    {
      relay.partner.capabilities = Set.of();
      relay.partner.oauthProvider = partner;
      relay.partner.oauthAt = destination -> !destination.name().value().equals("files");
    }

    QueryAuthenticationStatusService status() {
      return new QueryAuthenticationStatusService(relay.authRouting, relay.states, relay.grants);
    }

    @Test
    void withNothingToChooseTheAnswerNamesTheSettingsThatWould() {
      var answer =
          status()
              .query(
                  new AuthenticationStatusQuery(
                      ALICE, "1509", null, "4410", FeedProperties.none()));
      var redirect =
          new CreateOAuthRedirectUrlService(relay.authRouting, relay.states)
              .create(new OAuthRedirectUrlQuery(FD_318, "4410"));

      assertThat(answer)
          .isEqualTo(
              new Unroutable(
                  "Several destinations can answer authentication_status_queries (ads, b2b) and the"
                      + " request does not say which: set the property 'destination', or link plugin"
                      + " version 4410 under plugin_versions in the relay's configuration"));
      assertThat(redirect)
          .isInstanceOfSatisfying(
              Unroutable.class,
              unroutable ->
                  assertThat(unroutable.message())
                      .contains("link feed destination 318 under feed_destinations")
                      .contains("link plugin version 4410 under plugin_versions"));
    }

    @Test
    void thePropertiesOfTheRequestChoose() {
      var answer =
          status()
              .query(
                  new AuthenticationStatusQuery(
                      ALICE,
                      "1509",
                      null,
                      "4410",
                      new FeedProperties(Map.of(FeedProperties.DESTINATION, "b2b"))));

      assertThat(answer).isInstanceOf(AuthenticationStatusResult.NotAuthenticated.class);
      var state = loginState(((AuthenticationStatusResult.NotAuthenticated) answer).loginUrl());
      assertThat(relay.states.destinationOf(state)).contains(new DestinationName("b2b"));
    }

    @Test
    void aConfiguredPluginVersionOrFeedDestinationLinkChooses() {
      var configured =
          new DestinationLinks(
              relay.links, Map.of(FD_318, new DestinationName("ads")), Map.of("4410", b2b()));
      var routing = new AuthenticationRouting(relay.directory, configured);

      var byPluginVersion =
          new QueryAuthenticationStatusService(routing, relay.states, relay.grants)
              .query(
                  new AuthenticationStatusQuery(
                      ALICE, "1509", null, "4410", FeedProperties.none()));
      var byFeedDestination =
          new CreateOAuthRedirectUrlService(routing, relay.states)
              .create(new OAuthRedirectUrlQuery(FD_318, "4410"));

      var statusUrl = ((AuthenticationStatusResult.NotAuthenticated) byPluginVersion).loginUrl();
      assertThat(relay.states.destinationOf(loginState(statusUrl))).contains(b2b());
      var redirectUrl = ((OAuthRedirectResult.LoginUrl) byFeedDestination).url();
      assertThat(relay.states.destinationOf(loginState(redirectUrl)))
          .contains(new DestinationName("ads"));
    }

    @Test
    void aFeedDestinationLearnedAtSegmentCreationChooses() {
      relay.gateway.feeds.put(
          new FeedId("6921"), new FeedProperties(Map.of(FeedProperties.DESTINATION, "b2b")));
      relay.grants.save(new TokenKey(b2b(), "2291"), new PartnerTokens("t", null, null, null));
      var created =
          new CreateExternalSegmentService(
                  relay.routing, relay.mappings, relay.grants, relay.feedSettings)
              .create(new SegmentCommand(DomainFixtures.SEGMENT, FD_318));
      assertThat(created).isInstanceOf(SegmentCreationResult.Created.class);
      assertThat(relay.links.links).containsEntry(FD_318, b2b());

      var redirect =
          new CreateOAuthRedirectUrlService(relay.authRouting, relay.states)
              .create(new OAuthRedirectUrlQuery(FD_318, null));

      var url = ((OAuthRedirectResult.LoginUrl) redirect).url();
      assertThat(relay.states.destinationOf(loginState(url))).contains(b2b());
    }

    @Test
    void theSealedStateChoosesTheCallbacksDestination() {
      partner.exchangeAnswer =
          new io.audiencerelay.application.port.out.GrantOutcome.Granted(
              new PartnerTokens("a", "r", null, null));
      String state = relay.states.seal(b2b(), null, ALICE);

      var answer =
          new AuthenticateService(relay.authRouting, relay.gateway, relay.states, relay.grants)
              .authenticate(
                  new AuthenticateCommand(
                      ALICE, "4410", Map.of("state", state, "code", "c"), null));

      assertThat(answer).isInstanceOf(AuthenticationResult.Authenticated.class);
      assertThat(relay.tokens.grants).containsOnlyKeys(new TokenKey(b2b(), "2291"));
    }

    @Test
    void logoutForgetsTheUsersGrantAtEveryOAuthDestination() {
      relay.grants.save(new TokenKey(b2b(), "2291"), new PartnerTokens("t", null, null, null));
      relay.grants.save(
          new TokenKey(new DestinationName("ads"), "2291"),
          new PartnerTokens("t", null, null, null));
      relay.grants.save(new TokenKey(b2b(), "7000"), new PartnerTokens("t", null, null, null));

      var answer =
          new LogoutService(relay.authRouting, relay.grants)
              .logout(new LogoutCommand(ALICE, "4410", "1509"));

      assertThat(answer).isInstanceOf(LogoutResult.LoggedOut.class);
      assertThat(relay.tokens.grants).containsOnlyKeys(new TokenKey(b2b(), "7000"));
    }
  }

  @Test
  void anUpdateForAFeedWithoutADestinationPropertyFollowsItsFeedDestinationsLink() {
    var relay = new Relay("files", "ads");
    var updates = new UpdateUserSegmentService(relay.routing, relay.queue, relay.clock);
    var command =
        new UpdateUserSegmentCommand(
            ExternalSegment.of("6921", "84213", null),
            MembershipOperation.ADD,
            List.of(DomainFixtures.email("h1")),
            null,
            FD_318);

    var before = updates.update(command);
    relay.links.link(FD_318, new DestinationName("ads"));
    var after = updates.update(command);

    assertThat(before)
        .isInstanceOfSatisfying(
            io.audiencerelay.application.port.in.Failed.class,
            failed ->
                assertThat(failed.message())
                    .isEqualTo(
                        "Feed 6921: several destinations are configured (files, ads): set the feed"
                            + " property 'destination' to one of them"));
    assertThat(after).isInstanceOf(UserSegmentUpdateResult.Accepted.class);
    assertThat(relay.partner.delivered).hasSize(1);
  }

  static DestinationName b2b() {
    return new DestinationName("b2b");
  }

  static String loginState(String url) {
    var matcher = java.util.regex.Pattern.compile("[?&]state=([^&]+)").matcher(url);
    assertThat(matcher.find()).as(url).isTrue();
    return java.net.URLDecoder.decode(matcher.group(1), java.nio.charset.StandardCharsets.UTF_8);
  }
}

package io.audiencerelay.application.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.OAuthRedirectUrlQuery;
import io.audiencerelay.application.port.out.CredentialsCheck;
import io.audiencerelay.application.port.out.LoginDone;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.PlatformUserId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticationServicesTest {
  final Relay relay = new Relay();
  final FeedDestinationId destination318 = new FeedDestinationId("318");
  final AuthenticateCommand callback =
      new AuthenticateCommand(
          new PlatformUserId("2291"), "4410", Map.of("code", "c0de"), destination318);

  @Test
  void aGrantIsStoredOnThePlatformForTheFeedDestination() {
    relay.partner.authenticationAnswer =
        PartnerAnswer.given(new LoginDone("Connected", "1//refresh"));

    var result =
        new AuthenticateService(relay.authRouting, relay.gateway, relay.states, relay.grants)
            .authenticate(callback);

    assertThat(result).isInstanceOf(AuthenticationResult.Authenticated.class);
    assertThat(relay.gateway.credentials)
        .containsEntry(destination318, DestinationCredentials.oauth2RefreshToken("1//refresh"));
    assertThat(result.toString()).doesNotContain("1//refresh");
  }

  @Test
  void aGrantWithoutRefreshTokenIsAnErrorWhenADestinationWasNamed() {
    relay.partner.authenticationAnswer = PartnerAnswer.given(new LoginDone("Connected", null));

    assertThat(
            new AuthenticateService(relay.authRouting, relay.gateway, relay.states, relay.grants)
                .authenticate(callback))
        .isEqualTo(
            new Failed("Plugin must return a refresh_token when feed_destination_id is present"));
    assertThat(relay.gateway.credentials).isEmpty();
  }

  @Test
  void partnersWithoutOAuthAnswerNotImplemented() {
    assertThat(
            new AuthenticateService(relay.authRouting, relay.gateway, relay.states, relay.grants)
                .authenticate(callback))
        .isInstanceOf(NotImplemented.class);
    assertThat(
            new LogoutService(relay.authRouting, relay.grants)
                .logout(new LogoutCommand(new PlatformUserId("2291"), "4410", "1509")))
        .isInstanceOf(NotImplemented.class);
  }

  @Test
  void testingCredentialsReadsThemAfreshAndFailsWhenThereAreNone() {
    var service = new TestAuthenticationService(relay.authRouting, relay.gateway);

    assertThat(service.test(destination318))
        .isEqualTo(new Failed("Could not fetch feed destination credentials"));

    relay.gateway.credentials.put(destination318, DestinationCredentials.oauth2RefreshToken("rt"));
    relay.partner.credentialsTestAnswer =
        PartnerAnswer.given(new CredentialsCheck.Invalid("Credentials rejected"));
    assertThat(service.test(destination318))
        .isEqualTo(new CredentialsTestResult.Invalid("Credentials rejected"));
    assertThat(relay.partner.testedCredentials)
        .containsExactly(DestinationCredentials.oauth2RefreshToken("rt"));
    assertThat(relay.gateway.calls).containsOnly("reload credentials 318");

    relay.gateway.failing = true;
    assertThat(service.test(destination318))
        .isEqualTo(new Failed("Could not fetch feed destination credentials"));
  }

  @Test
  void theLoginUrlAlwaysCarriesTheFeedDestinationId() {
    var service = new CreateOAuthRedirectUrlService(relay.authRouting, relay.states);
    var query = new OAuthRedirectUrlQuery(destination318, "4410");

    relay.partner.loginUrlAnswer =
        PartnerAnswer.given("https://partner.example/oauth?client_id=mics#top");
    assertThat(service.create(query))
        .isEqualTo(
            new OAuthRedirectResult.LoginUrl(
                "https://partner.example/oauth?client_id=mics&feed_destination_id=318#top"));

    relay.partner.loginUrlAnswer = PartnerAnswer.given("https://partner.example/oauth");
    assertThat(service.create(query))
        .isEqualTo(
            new OAuthRedirectResult.LoginUrl(
                "https://partner.example/oauth?feed_destination_id=318"));

    relay.partner.loginUrlAnswer =
        PartnerAnswer.given("https://partner.example/oauth?feed_destination_id=318&x=1");
    assertThat(service.create(query))
        .isEqualTo(
            new OAuthRedirectResult.LoginUrl(
                "https://partner.example/oauth?feed_destination_id=318&x=1"));

    relay.partner.loginUrlAnswer =
        PartnerAnswer.given("https://partner.example/oauth?feed_destination_id=9");
    assertThat(service.create(query))
        .isEqualTo(new Failed("login_url must contain feed_destination_id as query param: 318"));

    relay.partner.loginUrlAnswer = PartnerAnswer.given("not a url");
    assertThat(service.create(query))
        .isEqualTo(new Failed("The partner returned an invalid login URL"));
  }
}

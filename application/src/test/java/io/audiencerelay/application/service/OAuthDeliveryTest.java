package io.audiencerelay.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.fakes.ScriptedOAuthProvider;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.PartnerTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deliveries to a destination reached with a platform user's OAuth grant. */
class OAuthDeliveryTest {
  final Relay relay = new Relay(Map.of(AudienceDeliveryService.OAUTH_USER_SETTING, "2291"));
  final ScriptedOAuthProvider partner = new ScriptedOAuthProvider();
  final TokenKey grant = new TokenKey(new DestinationName("demo"), "2291");
  final AudienceDeliveryService delivery =
      new AudienceDeliveryService(relay.directory, relay.mappings, relay.grants);

  OAuthDeliveryTest() {
    relay.partner.oauthProvider = partner;
  }

  DeliveryOutcome deliverOne() {
    return delivery.deliver(DomainFixtures.DEMO, List.of(DomainFixtures.add("h1")));
  }

  @Test
  void theGrantsAccessTokenReachesThePartner() {
    relay.grants.save(
        grant,
        new PartnerTokens(
            "access-1", "refresh-1", DomainFixtures.T0.plus(Duration.ofDays(60)), null));

    assertThat(deliverOne()).isEqualTo(DeliveryOutcome.ok());
    assertThat(relay.partner.deliveryTokens).containsExactly("access-1");
  }

  @Test
  void withoutAUsableGrantNothingIsSentAndTheChangesWaitForALogin() {
    assertThat(deliverOne())
        .isEqualTo(
            new DeliveryOutcome.AwaitingAuthentication(
                "user 2291 must log in to the partner again (no grant is stored)"));

    relay.grants.save(grant, new PartnerTokens("access-1", "refresh-1", DomainFixtures.T0, null));
    partner.refreshAnswer = new GrantOutcome.Revoked("invalid_grant: revoked");
    assertThat(deliverOne())
        .isEqualTo(
            new DeliveryOutcome.AwaitingAuthentication(
                "user 2291 must log in to the partner again (invalid_grant: revoked)"));
    assertThat(relay.partner.delivered).isEmpty();
  }

  @Test
  void aRefreshThePartnerCannotAnswerNowIsRetried() {
    relay.grants.save(grant, new PartnerTokens("access-1", "refresh-1", DomainFixtures.T0, null));
    partner.refreshAnswer = new GrantOutcome.Unavailable("HTTP 503", Duration.ofSeconds(30));

    assertThat(deliverOne())
        .isEqualTo(new DeliveryOutcome.Retry(Duration.ofSeconds(30), "token refresh: HTTP 503"));
    assertThat(relay.partner.delivered).isEmpty();
  }
}

package io.audiencerelay.application.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.delivery.AudienceDeliveryService;
import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.fakes.ScriptedOAuthProvider;
import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.TroubleshootCommand;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.application.service.segment.CreateExternalSegmentService;
import io.audiencerelay.application.service.support.TroubleshootService;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.PlatformUserId;
import io.audiencerelay.domain.Visibility;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Partner calls for a destination reached with a platform user's OAuth grant. */
class OAuthDeliveryTest {
  final Relay relay = new Relay(Map.of(PartnerGrants.OAUTH_USER_SETTING, "2291"));
  final ScriptedOAuthProvider partner = new ScriptedOAuthProvider();
  final TokenKey grant = new TokenKey(new DestinationName("demo"), "2291");
  final AudienceDeliveryService delivery =
      new AudienceDeliveryService(
          relay.directory, relay.mappings, relay.grants, relay.feedSettings);

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

  @Test
  void creatingAnAudienceWithoutALoginSaysWhoMustLogIn() {
    var create =
        new CreateExternalSegmentService(
            relay.routing, relay.mappings, relay.grants, relay.feedSettings);

    assertThat(create.create(new SegmentCommand(DomainFixtures.SEGMENT, null)))
        .isEqualTo(
            new Failed(
                "user 2291 must log in to the partner again (no grant is stored)",
                Visibility.PUBLIC));
    assertThat(relay.partner.created).isEmpty();
  }

  @Test
  void troubleshootSaysWhyThePartnerWasNotAsked() {
    var troubleshoot =
        new TroubleshootService(
            relay.routing,
            relay.mappings,
            new InMemoryDeliveryQueue(relay.clock, 100),
            relay.grants,
            relay.feedSettings,
            relay.clock);

    var result =
        troubleshoot.troubleshoot(
            new TroubleshootCommand(
                DomainFixtures.SEGMENT, TroubleshootCommand.FETCH_DESTINATION_AUDIENCE));

    assertThat(result)
        .isInstanceOfSatisfying(
            TroubleshootResult.Found.class,
            found ->
                assertThat(((Map<?, ?>) found.data().get("relay")).get("authentication"))
                    .isEqualTo("user 2291 must log in to the partner again (no grant is stored)"));
  }

  @Test
  void dynamicValuesAreAskedWithTheAskingUsersOwnLogin() {
    var values =
        new QueryDynamicPropertyValuesService(relay.authRouting, relay.gateway, relay.grants);
    var bobsQuery =
        new DynamicPropertyValuesQuery(
            new PlatformUserId("5150"), "1509", null, FeedProperties.none(), null);

    assertThat(values.query(bobsQuery))
        .isEqualTo(
            new DynamicPropertyValuesResult.Empty(
                "Log in to the partner first to see the choices of your account"));

    relay.grants.save(
        new TokenKey(new DestinationName("demo"), "5150"),
        new PartnerTokens("bobs-token", null, DomainFixtures.T0.plus(Duration.ofDays(1)), null));
    assertThat(values.query(bobsQuery))
        .isInstanceOfSatisfying(
            DynamicPropertyValuesResult.Values.class,
            answer ->
                assertThat(answer.properties().getFirst().choices().getFirst().value())
                    .isEqualTo("bobs-token"));
  }
}

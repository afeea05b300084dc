package io.audiencerelay.application.service.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.fakes.ScriptedPartnerConnector;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentConnectionResult;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.TroubleshootCommand;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.application.service.support.TroubleshootService;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.Visibility;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentLifecycleServicesTest {
  final Relay relay = new Relay();
  final SegmentCommand command = new SegmentCommand(DomainFixtures.SEGMENT, null);
  final PartnerAudience audience = ScriptedPartnerConnector.audienceOf(DomainFixtures.SEGMENT);

  @Test
  void creationReloadsTheFeedCreatesTheAudienceAndRemembersIt() {
    var result =
        new CreateExternalSegmentService(
                relay.routing, relay.mappings, relay.grants, relay.feedSettings)
            .create(command);

    assertThat(result)
        .isEqualTo(
            new SegmentCreationResult.Created(
                "Audience 'mics_84213' (aud-84213) ready at destination 'demo'",
                Visibility.PUBLIC));
    assertThat(relay.gateway.calls).containsExactly("reload 6921");
    assertThat(relay.mappings.find(DomainFixtures.DEMO, DomainFixtures.SEGMENT)).contains(audience);
  }

  @Test
  void creationRefusedByThePartnerIsAPublicError() {
    relay.partner.createAnswers.add(
        new AudienceOutcome.Rejected("Partner rejected the audience name"));

    var result =
        new CreateExternalSegmentService(
                relay.routing, relay.mappings, relay.grants, relay.feedSettings)
            .create(command);

    assertThat(result)
        .isEqualTo(new Failed("Partner rejected the audience name", Visibility.PUBLIC));
    assertThat(relay.mappings.saved).isEmpty();
  }

  @Test
  void anUnreachablePlatformIsAPrivateError() {
    relay.gateway.failing = true;

    var result =
        new CreateExternalSegmentService(
                relay.routing, relay.mappings, relay.grants, relay.feedSettings)
            .create(command);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(((Failed) result).visibility()).isEqualTo(Visibility.PRIVATE);
  }

  @Test
  void connectionOfAnUnknownSegmentFindsOrCreatesItsAudience() {
    var result =
        new ConnectExternalSegmentService(
                relay.routing, relay.mappings, relay.grants, relay.feedSettings)
            .connect(command);

    assertThat(result).isInstanceOf(SegmentConnectionResult.Connected.class);
    assertThat(relay.partner.created).containsExactly(DomainFixtures.SEGMENT);
    assertThat(relay.mappings.find(DomainFixtures.DEMO, DomainFixtures.SEGMENT)).contains(audience);
  }

  @Test
  void connectionReportsAnAudienceStillProvisioningOrThrottledAsNotReadyYet() {
    relay.mappings.save(DomainFixtures.DEMO, DomainFixtures.SEGMENT, audience);
    relay.partner.checkAnswers.add(new AudienceOutcome.NotReadyYet(audience, "still provisioning"));
    relay.partner.checkAnswers.add(new AudienceOutcome.Retry(Duration.ofSeconds(5), "throttled"));
    var service =
        new ConnectExternalSegmentService(
            relay.routing, relay.mappings, relay.grants, relay.feedSettings);

    assertThat(service.connect(command))
        .isEqualTo(new SegmentConnectionResult.NotReadyYet("still provisioning"));
    assertThat(service.connect(command))
        .isEqualTo(new SegmentConnectionResult.NotReadyYet("throttled"));
    assertThat(relay.partner.created).isEmpty();
  }

  @Test
  void connectionDetectsAnAudienceDeletedUpstream() {
    relay.mappings.save(DomainFixtures.DEMO, DomainFixtures.SEGMENT, audience);
    relay.partner.checkAnswers.add(new AudienceOutcome.Missing("audience aud-84213 was deleted"));

    var result =
        new ConnectExternalSegmentService(
                relay.routing, relay.mappings, relay.grants, relay.feedSettings)
            .connect(command);

    assertThat(result)
        .isEqualTo(
            new Failed(
                "The partner audience no longer exists: audience aud-84213 was deleted",
                Visibility.PUBLIC));
  }

  @Test
  void aFeedNamingAnUnknownDestinationIsAPublicErrorNamingTheChoices() {
    Relay two = new Relay("meta", "files");
    two.gateway.feeds.put(
        DomainFixtures.SEGMENT.feedId(),
        new FeedProperties(Map.of(FeedProperties.DESTINATION, "tiktok")));

    var result =
        new CreateExternalSegmentService(two.routing, two.mappings, two.grants, two.feedSettings)
            .create(command);

    assertThat(result)
        .isEqualTo(
            new Failed(
                "Feed 6921: The feed property 'destination' names 'tiktok', which is not a configured destination"
                    + " (configured: meta, files)",
                Visibility.PUBLIC));
  }

  @Test
  void troubleshootRefusesUnknownActionsAndOtherwiseShowsTheRelaysView() {
    var queue = new io.audiencerelay.application.fakes.InMemoryDeliveryQueue(relay.clock, 100);
    queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("h1"), DomainFixtures.add("h2")));
    var claimed = queue.claim(DomainFixtures.DEMO, 1, relay.clock.instant(), Duration.ofMinutes(1));
    queue.deadLetter(
        List.of(claimed.getFirst().id()), "rejected: invalid audience", relay.clock.instant());
    relay.clock.advance(Duration.ofSeconds(90));
    var service =
        new TroubleshootService(
            relay.routing, relay.mappings, queue, relay.grants, relay.feedSettings, relay.clock);

    assertThat(
            service.troubleshoot(
                new TroubleshootCommand(DomainFixtures.SEGMENT, "FETCH_EVERYTHING")))
        .isEqualTo(new NotImplemented("Action FETCH_EVERYTHING not supported"));

    relay.mappings.save(DomainFixtures.DEMO, DomainFixtures.SEGMENT, audience);
    var found =
        (TroubleshootResult.Found)
            service.troubleshoot(
                new TroubleshootCommand(
                    DomainFixtures.SEGMENT, TroubleshootCommand.FETCH_DESTINATION_AUDIENCE));
    @SuppressWarnings("unchecked")
    Map<String, Object> relayState = (Map<String, Object>) found.data().get("relay");
    assertThat(relayState)
        .containsEntry("destination", "demo")
        .containsEntry("destination_type", "scripted")
        .containsEntry("audience_id", "aud-84213")
        .containsEntry("audience_name", "mics_84213")
        .containsEntry("queue_depth", 1L)
        .containsEntry("oldest_pending", "2026-11-23T10:00:00Z")
        .containsEntry("oldest_pending_age_seconds", 90L);
    assertThat(relayState.get("recent_dead_letters").toString())
        .contains("rejected: invalid audience")
        .contains("attempts=1");
  }

  @Test
  void theDirectoryRefusesUnknownTypesAndBadSettingsNamingTheKey() {
    var partner = new ScriptedPartnerConnector();
    var unknown = new Destination(new DestinationName("ads"), "tiktok", Map.of());
    assertThatThrownBy(
            () -> new DestinationDirectory(List.of(unknown), Map.of("scripted", partner)))
        .hasMessage("destinations.ads.type: unknown destination type 'tiktok' (known: scripted)");

    partner.settingsProblems = List.of("url is required");
    var scripted = new Destination(new DestinationName("hook"), "scripted", Map.of());
    assertThatThrownBy(
            () -> new DestinationDirectory(List.of(scripted), Map.of("scripted", partner)))
        .hasMessage("destinations.hook.url is required");
  }

  @Test
  void aSettingWarningIsLoggedWithItsKeyAndTheRelayStillStarts() {
    var partner = new ScriptedPartnerConnector();
    partner.settingWarnings = List.of("api_version v1 ends on 2027-01-01");
    try (var logs =
        new io.audiencerelay.application.fakes.CapturedLogs(DestinationDirectory.class)) {
      var hook = new Destination(new DestinationName("hook"), "scripted", Map.of());
      var directory = new DestinationDirectory(List.of(hook), Map.of("scripted", partner));

      assertThat(directory.all()).hasSize(1);
      assertThat(logs.lines())
          .containsExactly("WARNING destinations.hook.api_version v1 ends on 2027-01-01");
    }
  }

  @Test
  void withSeveralDestinationsTheFeedMustNameOne() {
    Relay two = new Relay("meta", "files");
    assertThatThrownBy(() -> two.directory.forProperties(FeedProperties.none()))
        .hasMessage(
            "Several destinations are configured: set the feed property 'destination' to one of meta, files");
    assertThat(
            two.directory
                .forProperties(new FeedProperties(Map.of(FeedProperties.DESTINATION, "files")))
                .destination()
                .name())
        .isEqualTo(new DestinationName("files"));
  }
}

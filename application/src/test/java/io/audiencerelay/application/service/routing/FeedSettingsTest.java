package io.audiencerelay.application.service.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.out.PlatformGateway.DataFileSettings;
import io.audiencerelay.application.service.segment.CreateExternalSegmentService;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.FeedSetting.ReadAt;
import io.audiencerelay.domain.Visibility;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedSettingsTest {
  static final FeedProperty.DataFile FILE =
      new FeedProperty.DataFile("mics://data_file/tenants/1185/settings.json", 1L);

  final Relay relay = new Relay(Map.of("account", "default-account"));

  {
    relay.partner.feedSettings =
        List.of(
            new FeedSetting("account", true, ReadAt.AUDIENCE_CREATION, "the partner account"),
            new FeedSetting("list", false, ReadAt.DELIVERY, "the list"),
            FeedSetting.audienceName());
  }

  SegmentCreationResult create() {
    return new CreateExternalSegmentService(
            relay.routing, relay.mappings, relay.grants, relay.feedSettings)
        .create(new SegmentCommand(DomainFixtures.SEGMENT, null));
  }

  void feedHas(Map<String, FeedProperty> properties) {
    relay.gateway.feeds.put(DomainFixtures.SEGMENT.feedId(), FeedProperties.typed(properties));
  }

  @Test
  void aFeedsOwnValueReachesThePartnerForThatFeedOnly() {
    feedHas(Map.of("account", new FeedProperty.Text("act_42")));

    assertThat(create()).isInstanceOf(SegmentCreationResult.Created.class);

    assertThat(relay.partner.createdAt.getLast().setting("account")).contains("act_42");
    assertThat(relay.directory.only().orElseThrow().destination().setting("account"))
        .contains("default-account");
  }

  @Test
  void withoutAFeedValueTheDestinationsDefaultIsUsed() {
    assertThat(create()).isInstanceOf(SegmentCreationResult.Created.class);

    assertThat(relay.partner.createdAt.getLast().setting("account")).contains("default-account");
  }

  @Test
  void aNumberPropertyIsReadAsItsText() {
    feedHas(Map.of("account", new FeedProperty.WholeNumber(991)));

    create();

    assertThat(relay.partner.createdAt.getLast().setting("account")).contains("991");
  }

  @Test
  void aMissingRequiredPropertyIsAPublicErrorNamingIt() {
    var bare = new Relay();
    bare.partner.feedSettings = relay.partner.feedSettings;

    var result =
        new CreateExternalSegmentService(
                bare.routing, bare.mappings, bare.grants, bare.feedSettings)
            .create(new SegmentCommand(DomainFixtures.SEGMENT, null));

    assertThat(result)
        .isEqualTo(
            new Failed(
                "Feed 6921: property 'account' is required (the partner account): set it on the"
                    + " feed, or set destinations.demo.account",
                Visibility.PUBLIC));
    assertThat(bare.partner.created).isEmpty();
  }

  @Test
  void aValueThePartnerRefusesIsAPublicErrorNamingIt() {
    feedHas(Map.of("account", new FeedProperty.Text("not an account")));
    relay.partner.checkingFitted =
        destination ->
            destination.setting("account").orElse("").contains(" ")
                ? List.of("account must not hold spaces, got 'not an account'")
                : List.of();

    assertThat(create())
        .isEqualTo(
            new Failed(
                "Feed 6921: property account must not hold spaces, got 'not an account'",
                Visibility.PUBLIC));
    assertThat(relay.partner.created).isEmpty();
  }

  @Test
  void aPropertyOfATypeWithoutTextIsAPublicErrorNamingIt() {
    feedHas(Map.of("account", new FeedProperty.Asset("ASSET", "1", "/assets/a.png", "a.png")));

    assertThat(create())
        .isEqualTo(
            new Failed(
                "Feed 6921: property 'account' is ASSET, expected a value written as text (STRING,"
                    + " URL, INT, DOUBLE or BOOLEAN)",
                Visibility.PUBLIC));
  }

  @Test
  void aSettingsFileSetsValuesAndNamesTheSegmentsAudienceButAPropertyWins() {
    relay.gateway.dataFiles.put(
        FILE.uri(),
        new DataFileSettings.Read(
            Map.of(
                "account", "from-file",
                "list", "weekly",
                "audience_names.84213", "Cart abandoners",
                "audience_names.1", "Other segment")));
    Map<String, FeedProperty> properties = new LinkedHashMap<>();
    properties.put(FeedProperties.SETTINGS_FILE, FILE);
    properties.put("account", new FeedProperty.Text("from-property"));
    properties.put(FeedSetting.AUDIENCE_NAME, new FeedProperty.Text("mics {segment_id}"));
    feedHas(properties);

    create();

    var fitted = relay.partner.createdAt.getLast();
    assertThat(fitted.setting("account")).contains("from-property");
    assertThat(fitted.setting("list")).contains("weekly");
    assertThat(fitted.audienceName(DomainFixtures.SEGMENT)).isEqualTo("Cart abandoners");
  }

  @Test
  void aSettingsFileMayNotSetWhatAFeedCannot() {
    relay.gateway.dataFiles.put(
        FILE.uri(), new DataFileSettings.Read(Map.of("access_token", "leaked")));
    feedHas(Map.of(FeedProperties.SETTINGS_FILE, FILE));

    assertThat(create())
        .isEqualTo(
            new Failed(
                "Feed 6921: property 'settings_file' sets 'access_token', which a feed cannot set at"
                    + " destination 'demo' (it may set: account, list, audience_name,"
                    + " audience_names)",
                Visibility.PUBLIC));
  }

  @Test
  void anUnusableSettingsFileIsAPublicErrorSayingWhy() {
    relay.gateway.dataFiles.put(
        FILE.uri(), new DataFileSettings.Unusable("the data file is not JSON (line 1, column 2)"));
    feedHas(Map.of(FeedProperties.SETTINGS_FILE, FILE));

    assertThat(create())
        .isEqualTo(
            new Failed(
                "Feed 6921: property 'settings_file': the data file is not JSON (line 1, column 2)",
                Visibility.PUBLIC));
  }

  @Test
  void deliveriesReadOnlyTheSettingsReadAtDeliveryAndOnlyWhenThePartnerHasSome() {
    feedHas(Map.of("list", new FeedProperty.Text("weekly")));
    create();
    relay.gateway.calls.clear();

    relay.queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("a")));

    assertThat(relay.partner.deliveredAt.getLast().setting("list")).contains("weekly");
    assertThat(relay.gateway.calls).containsExactly("feed 6921");

    relay.partner.feedSettings =
        List.of(new FeedSetting("account", true, ReadAt.AUDIENCE_CREATION, "the partner account"));
    relay.gateway.calls.clear();
    relay.queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("b")));

    assertThat(relay.gateway.calls).isEmpty();
  }

  @Test
  void aFeedThatLostARequiredValueHasItsChangesRejectedNamingIt() {
    var bare = new Relay();
    bare.partner.feedSettings = List.of(new FeedSetting("list", true, ReadAt.DELIVERY, "the list"));

    var outcome =
        new io.audiencerelay.application.delivery.AudienceDeliveryService(
                bare.directory, bare.mappings, bare.grants, bare.feedSettings)
            .deliver(DomainFixtures.DEMO, List.of(DomainFixtures.add("a")));

    assertThat(outcome)
        .isEqualTo(
            new DeliveryOutcome.Rejected(
                "Feed 6921: property 'list' is required (the list): set it on the feed, or set"
                    + " destinations.demo.list"));
    assertThat(bare.partner.delivered).isEmpty();
  }

  @Test
  void anUnreadablePlatformDefersTheDelivery() {
    relay.gateway.failing = true;

    var outcome =
        new io.audiencerelay.application.delivery.AudienceDeliveryService(
                relay.directory, relay.mappings, relay.grants, relay.feedSettings)
            .deliver(DomainFixtures.DEMO, List.of(DomainFixtures.add("a")));

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(relay.partner.delivered).isEmpty();
  }
}

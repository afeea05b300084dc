package io.audiencerelay.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainRecordsTest {

  @Test
  void idsAreStrippedAndMustNotBeBlank() {
    assertThat(new FeedId(" 6921 ").value()).isEqualTo("6921");
    assertThatThrownBy(() -> new FeedId("  ")).hasMessage("feed_id must not be blank");
    assertThatThrownBy(() -> new SegmentId(null)).hasMessage("segment_id is required");
  }

  @Test
  void idsRefuseControlCharactersAndUnpairedSurrogates() {
    assertThatThrownBy(() -> new FeedId("69\u000021"))
        .isInstanceOf(Require.InvalidTextException.class)
        .hasMessage("feed_id must not contain control characters (found U+0000 at position 2)");
    assertThatThrownBy(() -> new UserIdentifier.UserPoint("u\u007f1"))
        .hasMessage(
            "user_point_id must not contain control characters (found U+007F at position 1)");
    assertThatThrownBy(() -> ExternalSegment.of("6921", "84213", "15\u009b09"))
        .hasMessageStartingWith("datamart_id must not contain control characters (found U+009B");
    assertThatThrownBy(() -> new UserIdentifier.UserAccount("a\ud800b", null))
        .hasMessage("user_account_id must be valid text (an unpaired surrogate at position 1)");
    assertThatThrownBy(() -> new UserIdentifier.UserEmail("abc", "x\udc00"))
        .hasMessage("email must be valid text (an unpaired surrogate at position 1)");
    // A pair is one character outside the basic plane, and any script is fine.
    assertThat(new SegmentId("seg-\ud83d\ude00-é-中").value()).isEqualTo("seg-😀-é-中");
    // Surrounding blanks (a tab, a newline) are stripped before the check, as before.
    assertThat(new FeedId("\t6921\n").value()).isEqualTo("6921");
  }

  @Test
  void aChangeCarriesAtMostAThousandIdentifiers() {
    List<UserIdentifier> many =
        java.util.stream.IntStream.range(0, 1_001)
            .mapToObj(i -> (UserIdentifier) new UserIdentifier.UserPoint("u" + i))
            .toList();

    assertThatThrownBy(
            () ->
                new MembershipChange(
                    DomainFixtures.SEGMENT, MembershipOperation.ADD, many, DomainFixtures.T0))
        .hasMessage("a membership change carries at most 1000 user identifiers, got 1001");
    assertThat(
            new MembershipChange(
                    DomainFixtures.SEGMENT,
                    MembershipOperation.ADD,
                    many.subList(0, 1_000),
                    DomainFixtures.T0)
                .identifiers())
        .hasSize(1_000);
  }

  @Test
  void destinationNamesAreRestrictedToSafeCharacters() {
    assertThat(new DestinationName("demo-file_1").value()).isEqualTo("demo-file_1");
    assertThatThrownBy(() -> new DestinationName("../etc"))
        .hasMessageContaining("must be 1-64 letters");
  }

  @Test
  void emailNeedsAHashOrAnAddressAndPrefersTheHash() {
    assertThat(new UserIdentifier.UserEmail("abc", "jane@example.com").value()).isEqualTo("abc");
    assertThat(new UserIdentifier.UserEmail(" ", "jane@example.com").value())
        .isEqualTo("jane@example.com");
    assertThatThrownBy(() -> new UserIdentifier.UserEmail(null, ""))
        .hasMessage("USER_EMAIL needs a hash or an email");
  }

  @Test
  void everyIdentifierKnowsItsProtocolType() {
    assertThat(
            List.of(
                new UserIdentifier.UserPoint("u1"),
                new UserIdentifier.UserAccount("a1", "1"),
                new UserIdentifier.UserAgent("vec:1"),
                new UserIdentifier.UserDevicePoint("d1"),
                new UserIdentifier.DeviceTechnicalId("MOBILE_ADVERTISING_ID", "mob:1", "12")))
        .extracting(UserIdentifier::type)
        .containsExactly(
            "USER_POINT",
            "USER_ACCOUNT",
            "USER_AGENT",
            "USER_DEVICE_POINT",
            "MOBILE_ADVERTISING_ID");
  }

  @Test
  void aChangeNeedsAtLeastOneIdentifier() {
    assertThatThrownBy(
            () ->
                new MembershipChange(
                    DomainFixtures.SEGMENT, MembershipOperation.ADD, List.of(), DomainFixtures.T0))
        .hasMessageContaining("at least one user identifier");
  }

  @Test
  void aBatchHoldsOneSegmentOnly() {
    MembershipChange other =
        new MembershipChange(
            ExternalSegment.of("1", "2", null),
            MembershipOperation.ADD,
            List.of(DomainFixtures.email("h")),
            DomainFixtures.T0);
    assertThatThrownBy(
            () ->
                new MembershipBatch(
                    "b1", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"), other)))
        .hasMessageContaining("mixes segments");
  }

  @Test
  void secretsNeverPrint() {
    Destination destination =
        DomainFixtures.destination("d", "webhook", Map.of("secret", "s3cr3t-value"));
    assertThat(destination.toString()).contains("secret").doesNotContain("s3cr3t-value");
    assertThat(DestinationCredentials.oauth2RefreshToken("rt-123").toString())
        .doesNotContain("rt-123");
  }

  @Test
  void aRetryNeverWaitsANegativeTime() {
    assertThat(new DeliveryOutcome.Retry(Duration.ofSeconds(-3), "late").after()).isZero();
  }
}

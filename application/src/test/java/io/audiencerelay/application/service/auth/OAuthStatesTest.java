package io.audiencerelay.application.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.PlatformUserId;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OAuthStatesTest {
  final MutableClock clock = new MutableClock(DomainFixtures.T0);
  final byte[] key = filled((byte) 7);
  final OAuthStates states = new OAuthStates(key, clock, Duration.ofMinutes(10));
  final DestinationName linkedin = new DestinationName("linkedin-acme");
  final FeedDestinationId feedDestination = new FeedDestinationId("318");
  final PlatformUserId user = new PlatformUserId("2291");

  @Test
  void aStateOpensToWhatItWasIssuedForAndOnlyOnce() {
    String state = states.seal(linkedin, feedDestination, user);

    assertThat(states.open(state))
        .isInstanceOfSatisfying(
            OAuthStates.Check.Valid.class,
            valid -> {
              assertThat(valid.claims().destination()).isEqualTo(linkedin);
              assertThat(valid.claims().feedDestinationId()).isEqualTo(feedDestination);
              assertThat(valid.claims().user()).isEqualTo(user);
              assertThat(valid.claims().expiresAt()).isEqualTo(DomainFixtures.T0.plusSeconds(600));
            });
    assertThat(states.open(state))
        .isEqualTo(
            new OAuthStates.Check.Refused(
                "The OAuth state was already used: start the login again"));
  }

  @Test
  void afterAKeyRotationAStateIssuedUnderThePreviousKeyStillOpensUntilItExpires() {
    byte[] newKey = filled((byte) 9);
    String issuedBefore = states.seal(linkedin, feedDestination, user);
    var rotated = new OAuthStates(newKey, java.util.List.of(key), clock, Duration.ofMinutes(10));
    var withoutPrevious = new OAuthStates(newKey, clock, Duration.ofMinutes(10));

    assertThat(withoutPrevious.open(issuedBefore)).isInstanceOf(OAuthStates.Check.Refused.class);
    assertThat(rotated.open(issuedBefore)).isInstanceOf(OAuthStates.Check.Valid.class);
    // New states are sealed with the new key only.
    String issuedAfter = rotated.seal(linkedin, feedDestination, user);
    assertThat(withoutPrevious.open(issuedAfter)).isInstanceOf(OAuthStates.Check.Valid.class);
    assertThat(states.open(issuedAfter)).isInstanceOf(OAuthStates.Check.Refused.class);
    // And an old state still expires.
    String late = states.seal(linkedin, feedDestination, user);
    clock.advance(Duration.ofMinutes(10));
    assertThat(rotated.open(late))
        .isEqualTo(
            new OAuthStates.Check.Refused("The OAuth state has expired: start the login again"));
  }

  @Test
  void aStateIsOpaqueAndUrlSafe() {
    String state = states.seal(linkedin, feedDestination, user);

    assertThat(state).matches("[A-Za-z0-9_-]+").doesNotContain("linkedin").doesNotContain("2291");
    assertThat(
            new String(
                Base64.getUrlDecoder().decode(state), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("linkedin-acme")
        .doesNotContain("2291");
    assertThat(states.seal(linkedin, feedDestination, user)).isNotEqualTo(state);
  }

  @Test
  void anAlteredTruncatedOrForeignStateIsRefused() {
    String state = states.seal(linkedin, null, user);
    char last = state.charAt(10);
    String altered = state.substring(0, 10) + (last == 'A' ? 'B' : 'A') + state.substring(11);
    OAuthStates foreign = new OAuthStates(filled((byte) 8), clock, Duration.ofMinutes(10));

    for (String bad :
        new String[] {
          altered,
          state.substring(0, state.length() - 4),
          "not base64 !",
          "AAAA",
          foreign.seal(linkedin, null, user)
        }) {
      assertThat(states.open(bad))
          .as(bad)
          .isEqualTo(
              new OAuthStates.Check.Refused(
                  "The OAuth state is not one this relay issued (altered, truncated or sealed"
                      + " with another key)"));
    }
    assertThat(states.open(state)).isInstanceOf(OAuthStates.Check.Valid.class);
  }

  @Test
  void anExpiredStateIsRefused() {
    String state = states.seal(linkedin, feedDestination, null);
    clock.advance(Duration.ofMinutes(10));

    assertThat(states.open(state))
        .isEqualTo(
            new OAuthStates.Check.Refused("The OAuth state has expired: start the login again"));
  }

  @Test
  void aMissingStateIsRefused() {
    assertThat(states.open(null))
        .isEqualTo(new OAuthStates.Check.Refused("The OAuth callback carries no state"));
    assertThat(states.open(" "))
        .isEqualTo(new OAuthStates.Check.Refused("The OAuth callback carries no state"));
  }

  private static byte[] filled(byte value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, value);
    return bytes;
  }
}

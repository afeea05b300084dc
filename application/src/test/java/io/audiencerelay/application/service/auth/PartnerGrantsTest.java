package io.audiencerelay.application.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.InMemoryTokenStore;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.fakes.ScriptedOAuthProvider;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.domain.AuthenticationState;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.PartnerTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PartnerGrantsTest {
  static final Instant T0 = DomainFixtures.T0;
  static final Instant CONSENT_ENDS = T0.plus(Duration.ofDays(365));

  final MutableClock clock = new MutableClock(T0);
  final InMemoryTokenStore store = new InMemoryTokenStore();
  final PartnerGrants grants = new PartnerGrants(store, clock);
  final ScriptedOAuthProvider partner = new ScriptedOAuthProvider();
  final Destination linkedin =
      new Destination(new DestinationName("linkedin-acme"), "linkedin", Map.of());
  final TokenKey key = new TokenKey(linkedin.name(), "2291");

  @Test
  void aUserWithoutGrantMustLogIn() {
    assertThat(grants.state(key)).isEqualTo(new AuthenticationState.NotAuthenticated());
    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.NeedsLogin(new AuthenticationState.NotAuthenticated()));
    assertThat(partner.refreshes).hasValue(0);
  }

  @Test
  void aGrantWhoseKeyLeftTheConfigurationNeedsANewLoginAndHoldsDeliveriesWithoutFailingThem() {
    store.unreadable.put(key, "token sealed with key 'k1', which is not configured");

    assertThat(grants.state(key))
        .isEqualTo(
            new AuthenticationState.NeedsReauthentication(
                "the stored grant cannot be read (token sealed with key 'k1', which is not"
                    + " configured)"));
    assertThat(grants.access(linkedin, partner, key))
        .isInstanceOf(PartnerGrants.Access.NeedsLogin.class);
    assertThat(partner.refreshes).hasValue(0);

    // A new login replaces it.
    grants.save(key, grant("access-2", T0.plus(Duration.ofHours(1))));
    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.Usable("access-2"));
  }

  @Test
  void aFreshTokenIsUsedAsItIs() {
    grants.save(key, grant("access-1", T0.plus(Duration.ofHours(1))));

    assertThat(grants.state(key)).isEqualTo(new AuthenticationState.Authenticated(CONSENT_ENDS));
    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.Usable("access-1"));
    assertThat(partner.refreshes).hasValue(0);
  }

  @Test
  void aTokenAboutToEndIsRefreshedKeepingTheRefreshTokenAndItsHardEnd() {
    grants.save(key, grant("access-1", T0.plus(Duration.ofMinutes(4))));
    partner.refreshAnswer =
        new GrantOutcome.Granted(
            new PartnerTokens("access-2", null, T0.plus(Duration.ofDays(60)), null));

    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.Usable("access-2"));
    assertThat(store.grants.get(key))
        .isEqualTo(
            new PartnerTokens("access-2", "refresh-1", T0.plus(Duration.ofDays(60)), CONSENT_ENDS));
    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.Usable("access-2"));
    assertThat(partner.refreshes).hasValue(1);
  }

  @Test
  void concurrentCallersShareOneRefresh() throws Exception {
    grants.save(key, grant("access-1", T0.minusSeconds(1)));
    partner.refreshAnswer =
        new GrantOutcome.Granted(
            new PartnerTokens("access-2", "refresh-2", T0.plus(Duration.ofDays(60)), null));
    partner.refreshGate = new CountDownLatch(1);
    int callers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<PartnerGrants.Access>> answers = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        answers.add(pool.submit(() -> grants.access(linkedin, partner, key)));
      }
      // Hold the first refresh until every other caller is queued behind it (or, in a broken
      // implementation, has started a refresh of its own).
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (grants.callersWaitingForRefresh(key) < callers - 1
          && partner.refreshes.get() < 2
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      partner.refreshGate.countDown();
      for (Future<PartnerGrants.Access> answer : answers) {
        assertThat(answer.get()).isEqualTo(new PartnerGrants.Access.Usable("access-2"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(partner.refreshes).hasValue(1);
  }

  @Test
  void aRevokedGrantWaitsForANewLoginWithoutAskingThePartnerAgain() {
    grants.save(key, grant("access-1", T0.minusSeconds(1)));
    partner.refreshAnswer = new GrantOutcome.Revoked("invalid_grant: the token was revoked");
    var needsLogin =
        new PartnerGrants.Access.NeedsLogin(
            new AuthenticationState.NeedsReauthentication("invalid_grant: the token was revoked"));

    assertThat(grants.access(linkedin, partner, key)).isEqualTo(needsLogin);
    assertThat(grants.access(linkedin, partner, key)).isEqualTo(needsLogin);
    assertThat(grants.state(key)).isEqualTo(needsLogin.state());
    assertThat(partner.refreshes).hasValue(1);

    grants.save(key, grant("access-3", T0.plus(Duration.ofDays(60))));
    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.Usable("access-3"));
  }

  @Test
  void aPartnerOutageIsRetriedLaterAndKeepsTheGrant() {
    grants.save(key, grant("access-1", T0.minusSeconds(1)));
    partner.refreshAnswer = new GrantOutcome.Unavailable("HTTP 503", Duration.ofSeconds(30));

    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.RetryLater("HTTP 503", Duration.ofSeconds(30)));
    assertThat(grants.state(key)).isEqualTo(new AuthenticationState.Authenticated(CONSENT_ENDS));
  }

  @Test
  void theConsentsHardEndNeedsANewLoginWhateverTheRefreshes() {
    grants.save(key, grant("access-1", CONSENT_ENDS.plus(Duration.ofDays(30))));
    clock.advance(Duration.ofDays(365));

    var ended =
        new AuthenticationState.NeedsReauthentication(
            "the partner's consent ended on " + CONSENT_ENDS);
    assertThat(grants.state(key)).isEqualTo(ended);
    assertThat(grants.access(linkedin, partner, key))
        .isEqualTo(new PartnerGrants.Access.NeedsLogin(ended));
    assertThat(partner.refreshes).hasValue(0);
  }

  @Test
  void grantsWhoseConsentEndsSoonAreCountedForTheWarning() {
    grants.save(key, grant("access-1", T0.plus(Duration.ofDays(60))));
    grants.save(
        new TokenKey(linkedin.name(), "5150"),
        new PartnerTokens("access-2", "refresh-2", null, T0.plus(Duration.ofDays(500))));

    assertThat(grants.consentsEndingWithin(Duration.ofDays(30))).isZero();
    clock.advance(Duration.ofDays(340));
    assertThat(grants.consentsEndingWithin(Duration.ofDays(30))).isEqualTo(1);
    grants.forget(key);
    assertThat(grants.consentsEndingWithin(Duration.ofDays(30))).isZero();
  }

  @Test
  void forgettingAGrantDeletesIt() {
    grants.save(key, grant("access-1", T0.plus(Duration.ofHours(1))));

    grants.forget(key);

    assertThat(store.grants).isEmpty();
    assertThat(grants.state(key)).isEqualTo(new AuthenticationState.NotAuthenticated());
  }

  private static PartnerTokens grant(String accessToken, Instant accessEnds) {
    return new PartnerTokens(accessToken, "refresh-1", accessEnds, CONSENT_ENDS);
  }
}

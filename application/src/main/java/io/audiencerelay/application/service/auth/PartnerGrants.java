package io.audiencerelay.application.service.auth;

import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.application.port.out.TokenStore.TokenKey;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.domain.AuthenticationState;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.Require;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps partner grants usable: stores them encrypted through the {@link TokenStore}, refreshes an
 * access token shortly before it ends, one refresh at a time per grant however many deliveries ask
 * at once, and remembers a grant the partner revoked so callers wait for a new login instead of
 * hammering the partner.
 */
public final class PartnerGrants {
  /** Refresh this long before the access token ends, so no call carries a token about to die. */
  static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);

  /**
   * The destination setting naming the platform user whose stored OAuth grant calls the partner.
   */
  public static final String OAUTH_USER_SETTING = "oauth_user_id";

  private final TokenStore store;
  private final Clock clock;
  // A fixed set of locks, a grant's by its hash: one refresh per grant at a time, and no lock per
  // user id a request names.
  private static final int REFRESH_LOCKS = 64;
  private final ReentrantLock[] refreshLocks = new ReentrantLock[REFRESH_LOCKS];
  private final Map<TokenKey, String> revoked = new ConcurrentHashMap<>();

  /** When each grant this process has seen must be renewed by a new login, for the warning. */
  private final Map<TokenKey, Instant> consentEnds = new ConcurrentHashMap<>();

  public PartnerGrants(TokenStore store, Clock clock) {
    this.store = Require.present(store, "store");
    this.clock = Require.present(clock, "clock");
    for (int i = 0; i < REFRESH_LOCKS; i++) {
      refreshLocks[i] = new ReentrantLock();
    }
  }

  private ReentrantLock refreshLockOf(TokenKey key) {
    return refreshLocks[Math.floorMod(key.hashCode(), REFRESH_LOCKS)];
  }

  /** An access token to call the partner with, or why there is none. */
  public sealed interface Access {
    record Usable(String accessToken) implements Access {
      @Override
      public String toString() {
        return "Usable[accessToken=<redacted>]";
      }
    }

    record NeedsLogin(AuthenticationState state) implements Access {}

    record RetryLater(String reason, Duration after) implements Access {}
  }

  public void save(TokenKey key, PartnerTokens tokens) {
    store.save(key, tokens);
    revoked.remove(key);
    noteConsentEnd(key, tokens);
  }

  public void forget(TokenKey key) {
    store.delete(key);
    revoked.remove(key);
    consentEnds.remove(key);
  }

  /**
   * How many grants seen by this process end for good (LinkedIn's 365 days) within {@code warning}:
   * someone must log in again before then, or deliveries will wait.
   */
  public int consentsEndingWithin(Duration warning) {
    Instant limit = clock.instant().plus(warning);
    return (int)
        consentEnds.entrySet().stream()
            .filter(end -> end.getValue().isBefore(limit) && !revoked.containsKey(end.getKey()))
            .count();
  }

  private void noteConsentEnd(TokenKey key, PartnerTokens tokens) {
    if (tokens.refreshExpiresAt() != null) {
      consentEnds.put(key, tokens.refreshExpiresAt());
    } else {
      consentEnds.remove(key);
    }
  }

  public AuthenticationState state(TokenKey key) {
    String reason = revoked.get(key);
    if (reason != null) {
      return new AuthenticationState.NeedsReauthentication(reason);
    }
    Optional<PartnerTokens> grant;
    switch (store.read(key)) {
      case TokenStore.StoredGrant.Absent absent -> {
        return new AuthenticationState.NotAuthenticated();
      }
      case TokenStore.StoredGrant.Unreadable unreadable -> {
        // Its key left the configuration: only a new login (or the key back) makes it usable.
        return new AuthenticationState.NeedsReauthentication(
            "the stored grant cannot be read (" + unreadable.reason() + ")");
      }
      case TokenStore.StoredGrant.Present present -> grant = Optional.of(present.tokens());
    }
    noteConsentEnd(key, grant.get());
    Instant hardExpiry = grant.get().refreshExpiresAt();
    if (hardExpiry != null && !clock.instant().isBefore(hardExpiry)) {
      return new AuthenticationState.NeedsReauthentication(
          "the partner's consent ended on " + hardExpiry);
    }
    return new AuthenticationState.Authenticated(
        hardExpiry != null ? hardExpiry : grant.get().accessExpiresAt());
  }

  /** The current access token, refreshed first when it is about to end. */
  public Access access(Destination destination, OAuthProvider provider, TokenKey key) {
    Optional<PartnerTokens> grant = store.find(key);
    if (grant.isPresent() && fresh(grant.get())) {
      return new Access.Usable(grant.get().accessToken());
    }
    if (grant.isEmpty()) {
      return new Access.NeedsLogin(state(key)); // nothing to refresh: no lock to wait on
    }
    ReentrantLock lock = refreshLockOf(key);
    lock.lock();
    try {
      // Whoever held the lock before may have refreshed already: read again.
      AuthenticationState state = state(key);
      if (!(state instanceof AuthenticationState.Authenticated)) {
        return new Access.NeedsLogin(state);
      }
      PartnerTokens current = store.find(key).orElseThrow();
      if (fresh(current)) {
        return new Access.Usable(current.accessToken());
      }
      if (current.refreshToken() == null) {
        return markRevoked(key, "the access token ended and the partner gave no refresh token");
      }
      return switch (provider.refresh(destination, current)) {
        case GrantOutcome.Granted granted -> {
          PartnerTokens renewed = keepRefreshToken(current, granted.tokens());
          store.save(key, renewed);
          noteConsentEnd(key, renewed);
          yield new Access.Usable(renewed.accessToken());
        }
        case GrantOutcome.Revoked revokedGrant -> markRevoked(key, revokedGrant.reason());
        case GrantOutcome.Unavailable unavailable ->
            new Access.RetryLater(unavailable.reason(), unavailable.retryAfter());
      };
    } finally {
      lock.unlock();
    }
  }

  /** Whether a route can call its partner now, and with which token. */
  public sealed interface Authorisation {
    /**
     * The route to call with: its destination carries the grant's token as {@code access_token}.
     */
    record Ready(Route route) implements Authorisation {}

    record NeedsLogin(String reason) implements Authorisation {}

    record RetryLater(String reason, Duration after) implements Authorisation {}
  }

  /**
   * Readies a route for a partner call. A destination reached with a platform user's grant (its
   * connector offers OAuth and it names {@link #OAUTH_USER_SETTING}) gets that user's current
   * access token; any other destination is ready as it is.
   */
  public Authorisation authorise(Route route) {
    return route
        .destination()
        .setting(OAUTH_USER_SETTING)
        .map(owner -> authoriseAs(route, owner))
        .orElseGet(() -> new Authorisation.Ready(route));
  }

  /**
   * Readies a route for a partner call with this platform user's own grant, for answers that are
   * the user's (the ad accounts they may pick). A destination without OAuth is ready as it is.
   */
  public Authorisation authoriseAs(Route route, String user) {
    Optional<OAuthProvider> oauth = route.connector().oauth(route.destination());
    if (oauth.isEmpty()) {
      return new Authorisation.Ready(route);
    }
    TokenKey key = new TokenKey(route.destination().name(), user);
    return switch (access(route.destination(), oauth.get(), key)) {
      case Access.Usable usable ->
          new Authorisation.Ready(
              new Route(
                  route.destination().withSetting("access_token", usable.accessToken()),
                  route.connector()));
      case Access.NeedsLogin needsLogin ->
          new Authorisation.NeedsLogin(
              "user " + user + " must log in to the partner again (" + why(needsLogin) + ")");
      case Access.RetryLater later ->
          new Authorisation.RetryLater("token refresh: " + later.reason(), later.after());
    };
  }

  private static String why(Access.NeedsLogin needsLogin) {
    return switch (needsLogin.state()) {
      case AuthenticationState.NeedsReauthentication reauthentication -> reauthentication.reason();
      case AuthenticationState.NotAuthenticated none -> "no grant is stored";
      case AuthenticationState.Authenticated authenticated -> "the grant is unusable";
    };
  }

  /** How many callers wait behind a refresh of this grant; for tests of the single flight. */
  int callersWaitingForRefresh(TokenKey key) {
    return refreshLockOf(key).getQueueLength();
  }

  private boolean fresh(PartnerTokens grant) {
    if (grant.accessToken() == null) {
      return false;
    }
    if (grant.refreshExpiresAt() != null && !clock.instant().isBefore(grant.refreshExpiresAt())) {
      return false;
    }
    return grant.accessExpiresAt() == null
        || clock.instant().plus(REFRESH_AHEAD).isBefore(grant.accessExpiresAt());
  }

  private Access markRevoked(TokenKey key, String reason) {
    revoked.put(key, reason);
    return new Access.NeedsLogin(new AuthenticationState.NeedsReauthentication(reason));
  }

  /**
   * Partners that do not rotate refresh tokens leave them out of a refresh answer; the old one and
   * its hard end still hold (LinkedIn's 365 days run from the first consent, not the refresh).
   */
  private static PartnerTokens keepRefreshToken(PartnerTokens old, PartnerTokens renewed) {
    return new PartnerTokens(
        renewed.accessToken(),
        renewed.refreshToken() != null ? renewed.refreshToken() : old.refreshToken(),
        renewed.accessExpiresAt(),
        renewed.refreshExpiresAt() != null ? renewed.refreshExpiresAt() : old.refreshExpiresAt());
  }
}

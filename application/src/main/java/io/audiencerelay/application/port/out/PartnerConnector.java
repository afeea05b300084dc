package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.util.List;
import java.util.Optional;

/**
 * The one port a partner implements. One instance serves every destination of its {@link #type()}:
 * each call carries the destination, whose settings say which account, URL or directory to use.
 *
 * <p>Three methods are required: {@link #createAudience}, {@link #deliver} and {@link #type}.
 * Everything else is an optional capability whose default answers {@link PartnerAnswer.NotOffered}:
 * the services turn that into what the mediarithmics protocol expects from a plugin that lacks it.
 * The port speaks only its own types and the domain's, never the inbound ports'.
 */
public interface PartnerConnector {

  /** The key that selects this partner in {@code destinations.<name>.type}. */
  String type();

  /**
   * Problems with a destination's settings, each naming the key, for example {@code "directory is
   * required"}. Checked at start-up so a wrong configuration stops the relay before it accepts
   * anything.
   */
  default List<String> checkSettings(Destination destination) {
    return List.of();
  }

  /**
   * Settings that work today but will not for long, each naming the key, for example a partner API
   * version past or near its published end. Logged at start-up; the relay still starts.
   */
  default List<String> settingWarnings(Destination destination) {
    return List.of();
  }

  /**
   * The settings a feed may set for itself at this destination, through plugin properties of the
   * same names (see {@link FeedSetting}). The relay puts a feed's values into the destination it
   * passes to {@link #createAudience} and, for those read at delivery, to {@link #deliver}; it
   * checks required ones and runs {@link #checkSettings} on the result. So {@link #checkSettings}
   * must not require a setting declared here: a feed may bring it. Never declare a secret.
   */
  default List<FeedSetting> feedSettings(Destination destination) {
    return List.of();
  }

  /**
   * Finds or creates the audience of a segment. Must be idempotent: a retried call, or a call for a
   * segment created before, returns the same audience rather than a second one.
   */
  AudienceOutcome createAudience(Destination destination, ExternalSegment segment);

  /**
   * Checks that an audience created earlier is still there and ready. By default it is assumed to
   * be.
   */
  default AudienceOutcome checkAudience(Destination destination, PartnerAudience audience) {
    return new AudienceOutcome.Ready(audience);
  }

  /**
   * Sends a batch of changes to an audience. The batch never holds more than {@link
   * #maxBatchSize(Destination)} changes. One unusable identifier must not fail the batch: skip it
   * and deliver the rest.
   */
  DeliveryOutcome deliver(Destination destination, PartnerAudience audience, MembershipBatch batch);

  /**
   * The most changes one {@link #deliver} call may carry. 1 means the partner takes users one by
   * one.
   */
  default int maxBatchSize(Destination destination) {
    return 1;
  }

  /**
   * Whether the partner can use this identifier at this destination. Updates with no accepted
   * identifier are not queued (the platform hears "no eligible identifier").
   */
  default boolean accepts(Destination destination, UserIdentifier identifier) {
    return true;
  }

  /**
   * The capabilities of the authentication family this partner answers itself at this destination
   * (those of an OAuth flow the relay runs come on top). When several destinations are configured,
   * a route that names none goes to the only one that has its capability, so a partner declares
   * here every method below it implements.
   */
  default java.util.Set<PartnerCapability> capabilities(Destination destination) {
    return java.util.Set.of();
  }

  /** The partner's view of an audience, for support. */
  default PartnerAnswer<AudienceFacts> describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    return PartnerAnswer.notOffered();
  }

  /** Whether the user is logged in, for a partner with its own login (no {@link #oauth}). */
  default PartnerAnswer<LoginState> authenticationStatus(
      Destination destination, UserRequest request) {
    return PartnerAnswer.notOffered();
  }

  /** The partner's own login callback ({@link UserRequest#params}). */
  default PartnerAnswer<LoginDone> authenticate(Destination destination, UserRequest request) {
    return PartnerAnswer.notOffered();
  }

  /** Logs the user out of a partner with its own login; the answer is a message. */
  default PartnerAnswer<String> logout(Destination destination, UserRequest request) {
    return PartnerAnswer.notOffered();
  }

  /** Values for feed properties that depend on the user's partner account. */
  default PartnerAnswer<AccountChoices> dynamicPropertyValues(
      Destination destination, UserRequest request, Optional<DestinationCredentials> credentials) {
    return PartnerAnswer.notOffered();
  }

  /** Whether the partner still honours a feed destination's stored credentials. */
  default PartnerAnswer<CredentialsCheck> testAuthentication(
      Destination destination, DestinationCredentials credentials) {
    return PartnerAnswer.notOffered();
  }

  /**
   * The partner's OAuth endpoints, when this destination is set up to reach the partner with a
   * user's grant (for example it names an OAuth client). When present, the relay runs the whole
   * flow itself (login URL with a sealed state, code exchange, encrypted storage, refresh, status
   * and logout) and {@link #oauthLoginUrl}, {@link #authenticate}, {@link #authenticationStatus}
   * and {@link #logout} are not called.
   */
  default Optional<OAuthProvider> oauth(Destination destination) {
    return Optional.empty();
  }

  /**
   * The partner's login URL. The protocol requires a query parameter {@code feed_destination_id}
   * equal to the query's; the relay adds it when the partner's URL lacks it.
   */
  default PartnerAnswer<String> oauthLoginUrl(Destination destination, UserRequest request) {
    return PartnerAnswer.notOffered();
  }
}

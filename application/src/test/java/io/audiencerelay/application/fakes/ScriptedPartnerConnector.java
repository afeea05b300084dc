package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.AccountChoices;
import io.audiencerelay.application.port.out.CredentialsCheck;
import io.audiencerelay.application.port.out.LoginDone;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerCapability;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A partner whose answers the test scripts: queued outcomes are used first, then the defaults
 * (ready, delivered). Records every call.
 */
public final class ScriptedPartnerConnector implements PartnerConnector {
  public static final String TYPE = "scripted";

  public final Deque<AudienceOutcome> createAnswers = new ArrayDeque<>();
  public final Deque<AudienceOutcome> checkAnswers = new ArrayDeque<>();
  public final Deque<DeliveryOutcome> deliveryAnswers = new ArrayDeque<>();
  public final List<MembershipBatch> delivered = new CopyOnWriteArrayList<>();
  public final List<ExternalSegment> created = new CopyOnWriteArrayList<>();

  /** The {@code access_token} setting each delivery carried, or "none". */
  public final List<String> deliveryTokens = new CopyOnWriteArrayList<>();

  public final List<DestinationCredentials> testedCredentials = new CopyOnWriteArrayList<>();
  public volatile int maxBatchSize = 100;
  public volatile Predicate<UserIdentifier> accepts = id -> true;
  public volatile PartnerAnswer<LoginDone> authenticationAnswer = PartnerAnswer.notOffered();
  public volatile PartnerAnswer<CredentialsCheck> credentialsTestAnswer =
      PartnerAnswer.notOffered();
  public volatile PartnerAnswer<String> loginUrlAnswer = PartnerAnswer.notOffered();
  public volatile List<String> settingsProblems = List.of();

  /** The settings feeds may set; checkSettings then also runs {@link #checkingFitted}. */
  public volatile List<FeedSetting> feedSettings = List.of();

  /** Problems with a destination fitted to a feed, checked after the feed's settings apply. */
  public volatile java.util.function.Function<Destination, List<String>> checkingFitted =
      destination -> List.of();

  /** The destinations createAudience and deliver were given, in call order. */
  public final List<Destination> createdAt = new CopyOnWriteArrayList<>();

  public final List<Destination> deliveredAt = new CopyOnWriteArrayList<>();
  public volatile List<String> settingWarnings = List.of();
  public volatile RuntimeException throwOnDeliver;

  /** Runs inside each audience creation, before it is answered. */
  public volatile Runnable whileCreating = () -> {};

  /** Runs inside each delivery, before it is answered (a slow partner, say). */
  public volatile Runnable whileDelivering = () -> {};

  public volatile OAuthProvider oauthProvider;

  /** When set, answers each delivery by its content, before the scripted answers. */
  public volatile java.util.function.Function<MembershipBatch, DeliveryOutcome> answering;

  /** What it declares it answers; by default every route of the authentication family. */
  public volatile java.util.Set<PartnerCapability> capabilities =
      java.util.EnumSet.allOf(PartnerCapability.class);

  /** What it declares at particular destinations, by name, instead of {@link #capabilities}. */
  public final java.util.Map<String, java.util.Set<PartnerCapability>> capabilitiesAt =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The destinations reached through {@link #oauthProvider}; all of them by default. */
  public volatile Predicate<Destination> oauthAt = destination -> true;

  @Override
  public java.util.Set<PartnerCapability> capabilities(Destination destination) {
    return capabilitiesAt.getOrDefault(destination.name().value(), capabilities);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> fitted = checkingFitted.apply(destination);
    return fitted.isEmpty() ? settingsProblems : fitted;
  }

  @Override
  public List<FeedSetting> feedSettings(Destination destination) {
    return feedSettings;
  }

  @Override
  public List<String> settingWarnings(Destination destination) {
    return settingWarnings;
  }

  @Override
  public synchronized AudienceOutcome createAudience(
      Destination destination, ExternalSegment segment) {
    created.add(segment);
    createdAt.add(destination);
    whileCreating.run();
    AudienceOutcome scripted = createAnswers.poll();
    return scripted != null ? scripted : new AudienceOutcome.Ready(audienceOf(segment));
  }

  @Override
  public synchronized AudienceOutcome checkAudience(
      Destination destination, PartnerAudience audience) {
    AudienceOutcome scripted = checkAnswers.poll();
    return scripted != null ? scripted : new AudienceOutcome.Ready(audience);
  }

  @Override
  public synchronized DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    deliveryTokens.add(destination.setting("access_token").orElse("none"));
    deliveredAt.add(destination);
    if (throwOnDeliver != null) {
      throw throwOnDeliver;
    }
    delivered.add(batch);
    whileDelivering.run();
    if (answering != null) {
      return answering.apply(batch);
    }
    DeliveryOutcome scripted = deliveryAnswers.poll();
    return scripted != null ? scripted : DeliveryOutcome.ok();
  }

  @Override
  public int maxBatchSize(Destination destination) {
    return maxBatchSize;
  }

  @Override
  public boolean accepts(Destination destination, UserIdentifier identifier) {
    return accepts.test(identifier);
  }

  @Override
  public PartnerAnswer<LoginDone> authenticate(Destination destination, UserRequest request) {
    return authenticationAnswer;
  }

  @Override
  public PartnerAnswer<CredentialsCheck> testAuthentication(
      Destination destination, DestinationCredentials credentials) {
    testedCredentials.add(credentials);
    return credentialsTestAnswer;
  }

  @Override
  public PartnerAnswer<AccountChoices> dynamicPropertyValues(
      Destination destination, UserRequest request, Optional<DestinationCredentials> credentials) {
    return PartnerAnswer.given(
        new AccountChoices.Offered(
            List.of(
                new AccountChoices.Property(
                    "access_token_seen",
                    List.of(
                        new AccountChoices.Choice(
                            "token", destination.setting("access_token").orElse("none")))))));
  }

  @Override
  public Optional<OAuthProvider> oauth(Destination destination) {
    return oauthAt.test(destination) ? Optional.ofNullable(oauthProvider) : Optional.empty();
  }

  @Override
  public PartnerAnswer<String> oauthLoginUrl(Destination destination, UserRequest request) {
    return loginUrlAnswer;
  }

  public static PartnerAudience audienceOf(ExternalSegment segment) {
    return new PartnerAudience("aud-" + segment.segmentId(), segment.defaultAudienceName());
  }
}

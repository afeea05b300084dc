package io.audiencerelay.bootstrap.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dagger.Module;
import dagger.Provides;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.RelayHttpServer;
import io.audiencerelay.adapters.http.in.admin.AdminListener;
import io.audiencerelay.adapters.http.in.admin.AdminUseCases;
import io.audiencerelay.adapters.http.in.feed.FeedUseCases;
import io.audiencerelay.adapters.http.in.mapp.MappDiy;
import io.audiencerelay.adapters.platform.CachingPlatformGateway;
import io.audiencerelay.adapters.platform.HttpPlatformGateway;
import io.audiencerelay.adapters.platform.StaticPlatformGateway;
import io.audiencerelay.adapters.storage.queue.JdbcDeliveryQueue;
import io.audiencerelay.application.delivery.AudienceDeliveryService;
import io.audiencerelay.application.delivery.DeliveryScheduler;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.application.delivery.DeliveryWorker;
import io.audiencerelay.application.delivery.DestinationPauses;
import io.audiencerelay.application.delivery.Sleeper;
import io.audiencerelay.application.delivery.WakingDeliveryQueue;
import io.audiencerelay.application.port.out.DeadLetterStore;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.DestinationLinkStore;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.application.port.out.PauseStore;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.application.service.admin.DeadLetterService;
import io.audiencerelay.application.service.admin.DeliveryActivity;
import io.audiencerelay.application.service.admin.DestinationHealthService;
import io.audiencerelay.application.service.admin.DestinationPauseService;
import io.audiencerelay.application.service.admin.GrantListService;
import io.audiencerelay.application.service.auth.AuthenticateService;
import io.audiencerelay.application.service.auth.AuthenticationRouting;
import io.audiencerelay.application.service.auth.CreateOAuthRedirectUrlService;
import io.audiencerelay.application.service.auth.LogoutService;
import io.audiencerelay.application.service.auth.OAuthStates;
import io.audiencerelay.application.service.auth.PartnerGrants;
import io.audiencerelay.application.service.auth.QueryAuthenticationStatusService;
import io.audiencerelay.application.service.auth.QueryDynamicPropertyValuesService;
import io.audiencerelay.application.service.auth.TestAuthenticationService;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.application.service.routing.DestinationLinks;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedSettings;
import io.audiencerelay.application.service.segment.ConnectExternalSegmentService;
import io.audiencerelay.application.service.segment.CreateExternalSegmentService;
import io.audiencerelay.application.service.support.HealthService;
import io.audiencerelay.application.service.support.TroubleshootService;
import io.audiencerelay.application.service.update.BatchUpdateService;
import io.audiencerelay.application.service.update.ExternalSourceService;
import io.audiencerelay.application.service.update.UpdateUserSegmentService;
import io.audiencerelay.application.service.update.UpdateUserSegmentsService;
import io.audiencerelay.bootstrap.config.ConfigException;
import io.audiencerelay.bootstrap.config.RelayConfig;
import io.audiencerelay.bootstrap.config.TokenKeys;
import io.audiencerelay.bootstrap.observability.DepthSampler;
import io.audiencerelay.bootstrap.observability.RelayMetrics;
import io.helidon.webserver.WebServer;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.OkHttpClient;

/**
 * Builds the application and its adapters from the configuration. Only this module knows concrete
 * classes.
 */
@Module
interface RelayModule {

  @Provides
  @Singleton
  static ObjectMapper objectMapper() {
    return new ObjectMapper();
  }

  @Provides
  @Singleton
  static OkHttpClient okHttpClient() {
    // No redirect is followed: a partner's or the gateway's redirect could send a signed request,
    // or one carrying a token, to another host.
    return new OkHttpClient.Builder()
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(30))
        .writeTimeout(Duration.ofSeconds(30))
        .callTimeout(Duration.ofSeconds(60))
        .build();
  }

  @Provides
  @Singleton
  static PlatformGateway platformGateway(
      RelayConfig config, OkHttpClient http, ObjectMapper mapper, Clock clock) {
    return config
        .gateway()
        .<PlatformGateway>map(
            gateway ->
                new CachingPlatformGateway(
                    new HttpPlatformGateway(
                        http,
                        gateway.baseUrl(),
                        gateway.workerId(),
                        gateway.authenticationToken(),
                        mapper),
                    clock,
                    () -> ThreadLocalRandom.current().nextDouble()))
        .orElseGet(() -> new StaticPlatformGateway(config.feeds()));
  }

  @Provides
  @Singleton
  static DestinationDirectory destinationDirectory(
      RelayConfig config, Map<String, PartnerConnector> partners) {
    return new DestinationDirectory(config.destinations(), partners);
  }

  @Provides
  @Singleton
  static DestinationLinks destinationLinks(RelayConfig config, DestinationLinkStore learned) {
    return new DestinationLinks(
        learned, config.feedDestinationLinks(), config.pluginVersionLinks());
  }

  @Provides
  @Singleton
  static FeedRouting feedRouting(
      PlatformGateway gateway, DestinationDirectory directory, DestinationLinks links) {
    return new FeedRouting(gateway, directory, links);
  }

  @Provides
  @Singleton
  static AuthenticationRouting authenticationRouting(
      DestinationDirectory directory, DestinationLinks links) {
    return new AuthenticationRouting(directory, links);
  }

  @Provides
  @Singleton
  static DestinationPauses destinationPauses(PauseStore store, Clock clock) {
    return new DestinationPauses(store, clock);
  }

  @Provides
  @Singleton
  static FeedSettings feedSettings(PlatformGateway gateway) {
    return new FeedSettings(gateway);
  }

  @Provides
  @Singleton
  static AudienceDeliveryService audienceDeliveryService(
      DestinationDirectory directory,
      SegmentMappingStore mappings,
      PartnerGrants grants,
      FeedSettings feedSettings) {
    return new AudienceDeliveryService(directory, mappings, grants, feedSettings);
  }

  @Provides
  @Singleton
  static RelayMetrics relayMetrics(
      RelayConfig config, DeliveryBacklog backlog, PartnerGrants grants, Clock clock) {
    RelayMetrics metrics = new RelayMetrics(config.destinations(), backlog, clock);
    metrics.watchConsents(() -> grants.consentsEndingWithin(RelayMetrics.CONSENT_WARNING));
    return metrics;
  }

  @Provides
  @Singleton
  static DeliveryActivity deliveryActivity(Clock clock) {
    return new DeliveryActivity(clock);
  }

  @Provides
  @Singleton
  static DepthSampler depthSampler(
      DeliveryBacklog backlog,
      DeliveryActivity activity,
      DestinationDirectory directory,
      Clock clock) {
    return new DepthSampler(
        backlog,
        activity,
        directory.all().stream().map(route -> route.destination().name()).toList(),
        clock);
  }

  @Provides
  @Singleton
  static AdminUseCases adminUseCases(
      DestinationDirectory directory,
      DeliveryBacklog backlog,
      DeadLetterStore deadLetters,
      DeliveryQueue queue,
      DestinationPauses pauses,
      DeliveryActivity activity,
      TokenStore tokens,
      Clock clock) {
    DeadLetterService deadLetterService = new DeadLetterService(deadLetters, queue, directory);
    DestinationPauseService pauseService = new DestinationPauseService(pauses, directory);
    return new AdminUseCases(
        new DestinationHealthService(directory, backlog, deadLetters, pauses, activity, clock),
        deadLetterService,
        deadLetterService,
        deadLetterService,
        pauseService,
        pauseService,
        new GrantListService(tokens));
  }

  /** One worker per destination, on as many threads as the destination's concurrency. */
  @Provides
  @Singleton
  static DeliveryScheduler deliveryScheduler(
      RelayConfig config,
      DestinationDirectory directory,
      DeliveryBacklog backlog,
      AudienceDeliveryService delivery,
      RelayMetrics relayMetrics,
      DeliveryActivity activity,
      DestinationPauses pauses,
      Clock clock) {
    DeliveryScheduler scheduler = new DeliveryScheduler(clock);
    DeliveryMetrics metrics = DeliveryMetrics.all(relayMetrics, activity);
    for (DestinationDirectory.Route route : directory.all()) {
      DeliverySettings settings = config.deliveryOf(route.destination().name());
      scheduler.add(
          new DeliveryWorker(
              route,
              backlog,
              delivery,
              metrics,
              clock,
              Sleeper.system(),
              () -> ThreadLocalRandom.current().nextDouble(),
              settings,
              pauses),
          settings.concurrency());
    }
    return scheduler;
  }

  /** Accepted updates are stored durably; the destination's workers are woken to deliver them. */
  @Provides
  @Singleton
  static DeliveryQueue deliveryQueue(JdbcDeliveryQueue queue, DeliveryScheduler scheduler) {
    if (queue.journaled()) {
      // Updates become visible to workers when the database takes them from the journal, a
      // moment after they are accepted: wake the workers then.
      queue.whenIngested(scheduler::wake);
      return queue;
    }
    return new WakingDeliveryQueue(queue, scheduler);
  }

  @Provides
  @Singleton
  static FeedUseCases feedUseCases(
      FeedRouting routing,
      AuthenticationRouting authRouting,
      PlatformGateway gateway,
      FeedSettings feedSettings,
      SegmentMappingStore mappings,
      DeliveryQueue queue,
      DeliveryBacklog backlog,
      OAuthStates states,
      PartnerGrants grants,
      DeliveryScheduler scheduler,
      Clock clock) {
    return new FeedUseCases(
        new CreateExternalSegmentService(routing, mappings, grants, feedSettings),
        new ConnectExternalSegmentService(routing, mappings, grants, feedSettings),
        new UpdateUserSegmentService(routing, queue, clock),
        new UpdateUserSegmentsService(routing, queue, clock),
        new BatchUpdateService(routing, queue, clock),
        new TroubleshootService(routing, mappings, backlog, grants, feedSettings, clock),
        new QueryAuthenticationStatusService(authRouting, states, grants),
        new AuthenticateService(authRouting, gateway, states, grants),
        new LogoutService(authRouting, grants),
        new QueryDynamicPropertyValuesService(authRouting, gateway, grants),
        new TestAuthenticationService(authRouting, gateway),
        new CreateOAuthRedirectUrlService(authRouting, states),
        new HealthService(queue, scheduler));
  }

  /** A user has this long to finish a partner login before its state expires. */
  static final Duration OAUTH_STATE_LIFETIME = Duration.ofMinutes(15);

  @Provides
  @Singleton
  static OAuthStates oauthStates(RelayConfig config, Clock clock) {
    return new OAuthStates(
        TokenKeys.stateKey(config.storage()),
        TokenKeys.previousStateKeys(config.storage()),
        clock,
        OAUTH_STATE_LIFETIME);
  }

  @Provides
  @Singleton
  static PartnerGrants partnerGrants(TokenStore tokens, Clock clock) {
    return new PartnerGrants(tokens, clock);
  }

  @Provides
  @Singleton
  static LogLevels logLevels(RelayConfig config) {
    LogLevels levels = new LogLevels();
    if (!levels.set(config.logLevel())) {
      throw new ConfigException(
          "log_level: unknown level '"
              + config.logLevel()
              + "' (one of error, warn, info, http, verbose, debug, silly)");
    }
    return levels;
  }

  @Provides
  @Singleton
  static WebServer webServer(
      RelayConfig config,
      FeedUseCases useCases,
      ObjectMapper mapper,
      LogLevels logLevels,
      RelayMetrics metrics,
      ExternalSourceService externalSources,
      AdminUseCases adminUseCases,
      Clock clock) {
    Optional<MappDiy> mapp =
        config
            .mapp()
            .map(
                m ->
                    new MappDiy(
                        m.secret(),
                        m.basicUser(),
                        m.basicPassword(),
                        m.destination(),
                        m.signedValidate(),
                        externalSources,
                        externalSources));
    // Main's own shutdown hook stops the server first, then delivery, then storage, in that order.
    return RelayHttpServer.create(
        config.http(),
        useCases,
        mapper,
        logLevels,
        config.metadata(),
        metrics,
        mapp,
        config.syncedSegments(),
        externalSources,
        clock,
        false,
        config.allowedNetworks(),
        config.admin().map(settings -> new AdminListener(settings, adminUseCases)));
  }

  @Provides
  @Singleton
  static ExternalSourceService externalSourceService(
      DestinationDirectory directory, DeliveryQueue queue, SegmentMappingStore mappings) {
    return new ExternalSourceService(directory, queue, mappings);
  }
}

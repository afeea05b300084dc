package io.audiencerelay.application.service.segment;

import io.audiencerelay.application.port.in.ConnectExternalSegmentUseCase;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentConnectionResult;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.service.auth.PartnerGrants;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedRouting.Resolution;
import io.audiencerelay.application.service.routing.FeedSettings;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.Visibility;

/**
 * Checks that a segment's partner audience is there and ready. An audience the relay does not know
 * yet is found or created (creation is idempotent), so connection also repairs a lost mapping.
 */
public final class ConnectExternalSegmentService implements ConnectExternalSegmentUseCase {
  private final FeedRouting routing;
  private final SegmentMappingStore mappings;
  private final PartnerGrants grants;
  private final FeedSettings feedSettings;

  public ConnectExternalSegmentService(
      FeedRouting routing,
      SegmentMappingStore mappings,
      PartnerGrants grants,
      FeedSettings feedSettings) {
    this.routing = routing;
    this.mappings = mappings;
    this.grants = grants;
    this.feedSettings = feedSettings;
  }

  @Override
  public SegmentConnectionResult connect(SegmentCommand command) {
    return switch (routing.forFeedLinking(
        command.segment().feedId(), command.feedDestinationId())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.PlatformDown down -> down.failure();
      case Resolution.Resolved resolved -> {
        var fitted =
            feedSettings.fit(resolved.route(), resolved.feed(), command.segment().segmentId());
        if (!(fitted instanceof FeedSettings.Fitted.Ready feedReady)) {
          yield FeedSettings.failure(fitted);
        }
        Route route;
        switch (grants.authorise(feedReady.route())) {
          case PartnerGrants.Authorisation.Ready ready -> route = ready.route();
          case PartnerGrants.Authorisation.NeedsLogin needsLogin -> {
            yield new Failed(needsLogin.reason(), Visibility.PUBLIC);
          }
          case PartnerGrants.Authorisation.RetryLater later -> {
            yield new SegmentConnectionResult.NotReadyYet(later.reason());
          }
        }
        var destination = route.destination();
        var known = mappings.find(destination.name(), command.segment());
        AudienceOutcome outcome =
            known.isPresent()
                ? route.connector().checkAudience(destination, known.get())
                : route.connector().createAudience(destination, command.segment());
        yield switch (outcome) {
          case AudienceOutcome.Ready ready -> {
            mappings.save(destination.name(), command.segment(), ready.audience());
            yield new SegmentConnectionResult.Connected(
                "Audience '"
                    + ready.audience().name()
                    + "' connected at destination '"
                    + destination.name()
                    + "'");
          }
          case AudienceOutcome.NotReadyYet notReady -> {
            mappings.save(destination.name(), command.segment(), notReady.audience());
            yield new SegmentConnectionResult.NotReadyYet(notReady.reason());
          }
          // A throttled or unavailable partner is "not ready yet" to the platform, which asks again
          // later.
          case AudienceOutcome.Retry retry ->
              new SegmentConnectionResult.NotReadyYet(retry.reason());
          case AudienceOutcome.Missing missing ->
              new Failed(
                  "The partner audience no longer exists: " + missing.reason(), Visibility.PUBLIC);
          case AudienceOutcome.Rejected rejected ->
              new Failed(rejected.reason(), Visibility.PUBLIC);
        };
      }
    };
  }
}

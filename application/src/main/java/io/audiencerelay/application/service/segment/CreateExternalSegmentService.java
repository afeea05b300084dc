package io.audiencerelay.application.service.segment;

import io.audiencerelay.application.port.in.CreateExternalSegmentUseCase;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.service.auth.PartnerGrants;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedRouting.Resolution;
import io.audiencerelay.application.service.routing.FeedSettings;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.Visibility;

/** Creates the partner audience of a segment (or finds it again) and remembers it. */
public final class CreateExternalSegmentService implements CreateExternalSegmentUseCase {
  private final FeedRouting routing;
  private final SegmentMappingStore mappings;
  private final PartnerGrants grants;
  private final FeedSettings feedSettings;

  public CreateExternalSegmentService(
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
  public SegmentCreationResult create(SegmentCommand command) {
    return switch (routing.forFeedReloaded(
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
            yield new Failed(
                "Destination unavailable, try again later: " + later.reason(), Visibility.PUBLIC);
          }
        }
        var destination = route.destination();
        yield switch (route.connector().createAudience(destination, command.segment())) {
          case AudienceOutcome.Ready ready -> {
            mappings.save(destination.name(), command.segment(), ready.audience());
            yield created(ready.audience(), destination.name().value(), "");
          }
          case AudienceOutcome.NotReadyYet notReady -> {
            mappings.save(destination.name(), command.segment(), notReady.audience());
            yield created(
                notReady.audience(),
                destination.name().value(),
                " (still provisioning: " + notReady.reason() + ")");
          }
          case AudienceOutcome.Missing missing -> new Failed(missing.reason(), Visibility.PUBLIC);
          case AudienceOutcome.Retry retry ->
              new Failed(
                  "Destination unavailable, try again later: " + retry.reason(), Visibility.PUBLIC);
          case AudienceOutcome.Rejected rejected ->
              new Failed(rejected.reason(), Visibility.PUBLIC);
        };
      }
    };
  }

  private static SegmentCreationResult created(
      PartnerAudience audience, String destination, String note) {
    return new SegmentCreationResult.Created(
        "Audience '"
            + audience.name()
            + "' ("
            + audience.id()
            + ") ready at destination '"
            + destination
            + "'"
            + note,
        Visibility.PUBLIC);
  }
}

package io.audiencerelay.application.service.support;

import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.TroubleshootCommand;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.in.TroubleshootUseCase;
import io.audiencerelay.application.port.out.AudienceFacts;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.service.auth.PartnerGrants;
import io.audiencerelay.application.service.routing.FeedRouting;
import io.audiencerelay.application.service.routing.FeedRouting.Resolution;
import io.audiencerelay.application.service.routing.FeedSettings;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers {@code FETCH_DESTINATION_AUDIENCE}: the partner's view of the audience when the partner
 * can give it, always with what the relay itself knows (destination, type, mapped audience).
 */
public final class TroubleshootService implements TroubleshootUseCase {
  static final int DEAD_LETTERS_SHOWN = 5;

  private final FeedRouting routing;
  private final SegmentMappingStore mappings;
  private final DeliveryBacklog backlog;
  private final Clock clock;
  private final PartnerGrants grants;
  private final FeedSettings feedSettings;

  public TroubleshootService(
      FeedRouting routing,
      SegmentMappingStore mappings,
      DeliveryBacklog backlog,
      PartnerGrants grants,
      FeedSettings feedSettings,
      Clock clock) {
    this.grants = grants;
    this.feedSettings = feedSettings;
    this.routing = routing;
    this.mappings = mappings;
    this.backlog = backlog;
    this.clock = clock;
  }

  /**
   * What the relay itself holds for the destination: the queue and the latest dead letters of this
   * segment.
   */
  private void addQueueState(
      Map<String, Object> relay, DestinationName destination, ExternalSegment segment) {
    var now = clock.instant();
    var queue =
        backlog.backlog(now).stream().filter(b -> b.destination().equals(destination)).findFirst();
    relay.put("queue_depth", queue.map(DeliveryBacklog.DestinationBacklog::depth).orElse(0L));
    queue.ifPresent(
        q -> {
          relay.put("oldest_pending", q.oldestEnqueuedAt().toString());
          relay.put(
              "oldest_pending_age_seconds",
              Math.max(0, Duration.between(q.oldestEnqueuedAt(), now).toSeconds()));
          if (q.lastError() != null) {
            relay.put("last_error", q.lastError());
          }
        });
    List<Map<String, Object>> dead = new ArrayList<>();
    for (var letter : backlog.deadLetters(destination, 100)) {
      var change = letter.change().filter(c -> c.segment().equals(segment));
      if (change.isPresent() && dead.size() < DEAD_LETTERS_SHOWN) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("dead_at", letter.deadAt().toString());
        entry.put("operation", change.get().operation().wireName());
        entry.put("attempts", letter.attempts());
        entry.put("error", letter.error());
        dead.add(entry);
      }
    }
    relay.put("recent_dead_letters", dead);
  }

  @Override
  public TroubleshootResult troubleshoot(TroubleshootCommand command) {
    if (!TroubleshootCommand.FETCH_DESTINATION_AUDIENCE.equals(command.action())) {
      return new NotImplemented("Action " + command.action() + " not supported");
    }
    return switch (routing.forFeed(command.segment().feedId())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
      case Resolution.PlatformDown down -> down.failure();
      case Resolution.Resolved resolved -> {
        var route = resolved.route();
        var audience = mappings.find(route.destination().name(), command.segment());
        Map<String, Object> relay = new LinkedHashMap<>();
        relay.put("destination", route.destination().name().value());
        relay.put("destination_type", route.destination().type());
        audience.ifPresent(
            a -> {
              relay.put("audience_id", a.id());
              relay.put("audience_name", a.name());
            });
        addQueueState(relay, route.destination().name(), command.segment());
        PartnerAnswer<AudienceFacts> partnerView = PartnerAnswer.notOffered();
        var fitted = feedSettings.fit(route, resolved.feed(), command.segment().segmentId());
        if (fitted instanceof FeedSettings.Fitted.Ready fittedReady) {
          switch (grants.authorise(fittedReady.route())) {
            case PartnerGrants.Authorisation.Ready ready ->
                partnerView =
                    ready
                        .route()
                        .connector()
                        .describeAudience(ready.route().destination(), command.segment(), audience);
            case PartnerGrants.Authorisation.NeedsLogin needsLogin ->
                relay.put("authentication", needsLogin.reason());
            case PartnerGrants.Authorisation.RetryLater later ->
                relay.put("authentication", later.reason());
          }
        } else {
          relay.put("feed_settings", FeedSettings.failure(fitted).message());
        }
        yield switch (partnerView) {
          case PartnerAnswer.Given<AudienceFacts> given -> {
            Map<String, Object> data = new LinkedHashMap<>(given.value().data());
            data.put("relay", relay);
            yield new TroubleshootResult.Found(given.value().title(), data);
          }
          case PartnerAnswer.NotOffered<AudienceFacts> none ->
              new TroubleshootResult.Found(
                  audience.isPresent()
                      ? "Destination audience known to the relay (the partner gives no details)"
                      : "No destination audience yet: it is created on activation or with the first update",
                  Map.of("relay", relay));
          case PartnerAnswer.Unavailable<AudienceFacts> unavailable ->
              new Failed(unavailable.reason());
        };
      }
    };
  }
}

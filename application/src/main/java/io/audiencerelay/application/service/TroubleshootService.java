package io.audiencerelay.application.service;

import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.TroubleshootCommand;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.in.TroubleshootUseCase;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.service.FeedRouting.Resolution;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers {@code FETCH_DESTINATION_AUDIENCE}: the partner's view of the audience when the partner
 * can give it, always with what the relay itself knows (destination, type, mapped audience).
 */
public final class TroubleshootService implements TroubleshootUseCase {
  private final FeedRouting routing;
  private final SegmentMappingStore mappings;

  public TroubleshootService(FeedRouting routing, SegmentMappingStore mappings) {
    this.routing = routing;
    this.mappings = mappings;
  }

  @Override
  public TroubleshootResult troubleshoot(TroubleshootCommand command) {
    if (!TroubleshootCommand.FETCH_DESTINATION_AUDIENCE.equals(command.action())) {
      return new NotImplemented("Action " + command.action() + " not supported");
    }
    return switch (routing.forFeed(command.segment().feedId())) {
      case Resolution.Unresolved unresolved -> unresolved.failure();
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
        yield switch (route
            .connector()
            .describeAudience(route.destination(), command.segment(), audience)) {
          case TroubleshootResult.Found found -> {
            Map<String, Object> data = new LinkedHashMap<>(found.data());
            data.put("relay", relay);
            yield new TroubleshootResult.Found(found.message(), data);
          }
          case NotImplemented notImplemented ->
              new TroubleshootResult.Found(
                  audience.isPresent()
                      ? "Destination audience known to the relay (the partner gives no details)"
                      : "No destination audience yet: it is created on activation or with the first update",
                  Map.of("relay", relay));
          case Failed failed -> failed;
        };
      }
    };
  }
}

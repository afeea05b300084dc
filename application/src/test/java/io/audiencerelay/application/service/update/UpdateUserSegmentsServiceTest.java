package io.audiencerelay.application.service.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.fakes.InMemoryDeliveryQueue;
import io.audiencerelay.application.fakes.Relay;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateUserSegmentsServiceTest {
  final Relay relay = new Relay("a", "b");
  final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(relay.clock, 2);
  final UpdateUserSegmentsService service =
      new UpdateUserSegmentsService(relay.routing, queue, relay.clock);

  {
    relay.gateway.feeds.put(
        new io.audiencerelay.domain.FeedId("to-a"), new FeedProperties(Map.of("destination", "a")));
    relay.gateway.feeds.put(
        new io.audiencerelay.domain.FeedId("to-b"), new FeedProperties(Map.of("destination", "b")));
  }

  static UpdateUserSegmentCommand update(String feed, String user) {
    return new UpdateUserSegmentCommand(
        ExternalSegment.of(feed, "1", null),
        MembershipOperation.ADD,
        user == null ? List.of() : List.of(new UserIdentifier.UserPoint(user)),
        null,
        null);
  }

  @Test
  void eachUpdateGetsItsOwnAnswerInOrderAndEachDestinationOneWrite() {
    queue.enqueue(
        new io.audiencerelay.domain.DestinationName("b"),
        List.of(DomainFixtures.add("old-1"), DomainFixtures.add("old-2")));

    var results =
        service.update(
            List.of(
                update("to-a", "u1"),
                update("unrouted", "u2"),
                update("to-b", "u3"),
                update("to-a", null),
                update("to-a", "u4"),
                update("to-b", "u5"),
                update("to-b", "u6")));

    assertThat(results.get(0)).isEqualTo(new UserSegmentUpdateResult.Accepted());
    assertThat(results.get(1)).isInstanceOf(io.audiencerelay.application.port.in.Failed.class);
    assertThat(results.get(3)).isInstanceOf(UserSegmentUpdateResult.NoEligibleIdentifier.class);
    assertThat(results.get(4)).isEqualTo(new UserSegmentUpdateResult.Accepted());
    // Destination b is full: its three updates are one write, refused together.
    assertThat(results.get(2)).isInstanceOf(UserSegmentUpdateResult.Retry.class);
    assertThat(results.get(5)).isEqualTo(results.get(2));
    assertThat(results.get(6)).isEqualTo(results.get(2));
    assertThat(queue.queued())
        .extracting(q -> q.change().identifiers().getFirst().value())
        .containsExactly("old-1", "old-2", "u1", "u4");
    assertThat(queue.queued().get(2).change().observedAt()).isEqualTo(DomainFixtures.T0);
  }
}

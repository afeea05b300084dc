package io.audiencerelay.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.application.delivery.AudienceDeliveryService;
import io.audiencerelay.application.delivery.DeliverySettings;
import io.audiencerelay.application.delivery.DeliveryWorker;
import io.audiencerelay.application.delivery.DestinationPauses;
import io.audiencerelay.application.fakes.FakePlatformGateway;
import io.audiencerelay.application.fakes.InMemoryMappings;
import io.audiencerelay.application.fakes.InMemoryTokenStore;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryBacklog;
import io.audiencerelay.application.port.out.DeliveryMetrics;
import io.audiencerelay.application.port.out.DeliveryQueue;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.application.service.auth.PartnerGrants;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.application.service.routing.FeedSettings;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The partner ends with each user's last accepted change, whatever happens between: partner calls
 * that fail (with and without a requested delay), two relays sharing one queue whose calls overlap,
 * a lease that runs out while its call is still in flight, a relay that restarts while it holds
 * leases. Runs a seeded random interleaving of all of them, many times. Every durable queue runs it
 * with the real delivery workers: the order holds through each store's own paths (on SQLite, the
 * fast lane and the moves between it and the database).
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
public abstract class DeliveryOrderContract {
  static final DestinationName DEMO = DomainFixtures.DEMO;
  static final Duration LEASE = Duration.ofSeconds(60);

  protected MutableClock clock;
  private DeliveryBacklog queue;
  private DeliveryQueue accept;
  private MembershipPartner partner;
  private DestinationDirectory directory;
  private AudienceDeliveryService delivery;
  private Map<String, MembershipOperation> lastAccepted;
  private long accepted; // each change's number, as its observed time: the partner sees the order

  Random random;
  DeliveryWorker[] relays;
  int running = -1; // the relay whose cycle is running (the innermost, when cycles nest)

  /** Runs one cycle of a relay, keeping track of which one runs. */
  void cycle(int relay) {
    int outer = running;
    running = relay;
    try {
      relays[relay].runOnce();
    } finally {
      running = outer;
    }
  }

  /** A fresh, empty queue whose clock is {@link #clock}. */
  protected abstract <Q extends DeliveryQueue & DeliveryBacklog> Q queue();

  /** The seeds of the runs: each is a different interleaving. */
  protected abstract long[] seeds();

  List<Long> seedList() {
    return java.util.Arrays.stream(seeds()).boxed().toList();
  }

  @BeforeEach
  void freshRun() {
    clock = new MutableClock(DomainFixtures.T0);
    partner = new MembershipPartner();
    directory =
        new DestinationDirectory(
            List.of(new Destination(DEMO, MembershipPartner.TYPE, Map.of())),
            Map.of(MembershipPartner.TYPE, partner));
    delivery =
        new AudienceDeliveryService(
            directory,
            new InMemoryMappings(),
            new PartnerGrants(new InMemoryTokenStore(), clock),
            new FeedSettings(new FakePlatformGateway()));
    lastAccepted = new HashMap<>();
    accepted = 0;
    running = -1;
    var opened = queue();
    queue = opened;
    accept = opened;
  }

  DeliveryWorker newRelay() {
    return new DeliveryWorker(
        directory.byName(DEMO).orElseThrow(),
        queue,
        delivery,
        DeliveryMetrics.NONE,
        clock,
        clock::advance,
        () -> random.nextDouble(),
        new DeliverySettings(
            Duration.ZERO,
            LEASE,
            Duration.ofMillis(200),
            Duration.ofSeconds(5),
            1_000,
            Duration.ofDays(365),
            0,
            2,
            0),
        DestinationPauses.NONE);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seedList")
  void thePartnerEndsWithEachUsersLastAcceptedChange(long seed) {
    random = new Random(seed);
    relays = new DeliveryWorker[] {newRelay(), newRelay()};
    partner.failures = true;
    partner.duringCall =
        () -> {
          double dice = random.nextDouble();
          if (dice < 0.15) {
            // The other relay runs while this call is in flight.
            cycle(1 - running);
          } else if (dice < 0.2) {
            // The call outlives its lease (a stalled thread): another thread of the same relay
            // takes the changes again. (Across relays a call cannot outlive its lease: the call
            // timeout is at most half the lease, and no call starts after half the lease.)
            clock.advance(LEASE.plusSeconds(1));
            cycle(running);
          } else if (dice < 0.25) {
            acceptSome(3);
          }
        };
    for (int step = 0; step < 400; step++) {
      double dice = random.nextDouble();
      if (dice < 0.4) {
        acceptSome(1 + random.nextInt(4));
      } else if (dice < 0.8) {
        cycle(random.nextInt(2));
      } else if (dice < 0.83) {
        // A relay restarts: its leases stay behind until they run out.
        relays[random.nextInt(2)] = newRelay();
      } else {
        clock.advance(Duration.ofMillis(random.nextInt(3_000)));
      }
    }

    // The partner recovers; both relays drain the queue.
    partner.failures = false;
    partner.duringCall = () -> {};
    Instant deadline = clock.instant().plus(Duration.ofHours(1));
    while (!queue.backlog(clock.instant()).isEmpty() && clock.instant().isBefore(deadline)) {
      cycle(0);
      cycle(1);
      clock.advance(Duration.ofMillis(500));
    }

    // Never an older change after a newer one, and the last one accepted is what stays.
    assertThat(partner.violations).isEmpty();
    assertThat(queue.backlog(clock.instant())).isEmpty();
    assertThat(queue.deadLetters(DEMO, 10)).isEmpty();
    assertThat(partner.members).isEqualTo(lastAccepted);
    assertThat(partner.calls).as("the run exercised the partner").isGreaterThan(50);
  }

  /** Accepts changes of a few users, in one segment, as the platform would send them. */
  private void acceptSome(int count) {
    for (int i = 0; i < count; i++) {
      String user = "u" + random.nextInt(6);
      MembershipOperation operation =
          random.nextBoolean() ? MembershipOperation.ADD : MembershipOperation.REMOVE;
      accept.enqueue(
          DEMO,
          List.of(
              new MembershipChange(
                  DomainFixtures.SEGMENT,
                  operation,
                  List.of(new UserIdentifier.UserPoint(user)),
                  Instant.ofEpochMilli(++accepted))));
      lastAccepted.put(user, operation);
    }
  }

  /**
   * A partner that keeps each user's membership, applies a batch when its call returns (so a call
   * in flight lands after whatever ran during it), and fails now and then.
   */
  final class MembershipPartner implements PartnerConnector {
    static final String TYPE = "membership";
    final Map<String, MembershipOperation> members = new HashMap<>();
    final Map<String, Long> lastApplied = new HashMap<>();
    final List<String> violations = new java.util.ArrayList<>();

    volatile boolean failures;
    volatile Runnable duringCall = () -> {};
    int calls;

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
      return new AudienceOutcome.Ready(new PartnerAudience("a-1", "mics_84213"));
    }

    @Override
    public int maxBatchSize(Destination destination) {
      return 3;
    }

    @Override
    public DeliveryOutcome deliver(
        Destination destination, PartnerAudience audience, MembershipBatch batch) {
      calls++;
      duringCall.run();
      if (failures) {
        double dice = random.nextDouble();
        if (dice < 0.2) {
          return new DeliveryOutcome.Retry(Duration.ZERO, "partner answered 503");
        }
        if (dice < 0.3) {
          return new DeliveryOutcome.Retry(Duration.ofSeconds(2), "partner answered 429");
        }
      }
      for (MembershipChange change : batch.changes()) {
        String user = change.identifiers().getFirst().value();
        long number = change.observedAt().toEpochMilli();
        Long newer = lastApplied.get(user);
        if (newer != null && newer > number) {
          violations.add(
              "change " + number + " of " + user + " reached the partner after change " + newer);
        }
        lastApplied.put(user, number);
        members.put(user, change.operation());
      }
      return DeliveryOutcome.ok();
    }
  }
}

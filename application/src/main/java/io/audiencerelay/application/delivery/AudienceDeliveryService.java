package io.audiencerelay.application.delivery;

import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.service.auth.PartnerGrants;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.application.service.routing.DestinationDirectory.Route;
import io.audiencerelay.application.service.routing.FeedSettings;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Delivers changes to a destination's partner: finds (or creates, idempotently) each segment's
 * partner audience, cuts the changes into batches the partner accepts, and sends them.
 */
public final class AudienceDeliveryService {
  /** How long to wait when a partner audience exists but is still being provisioned. */
  static final Duration PROVISIONING_WAIT = Duration.ofSeconds(30);

  /** How long to wait when the platform cannot say what a feed's settings are. */
  static final Duration PLATFORM_WAIT = Duration.ofSeconds(30);

  /** How much of a batch id's key is hashed at a time (characters, about). */
  private static final int BATCH_ID_CHUNK = 8 * 1024;

  private final DestinationDirectory directory;
  private final SegmentMappingStore mappings;
  private final PartnerGrants grants;
  private final FeedSettings feedSettings;

  public AudienceDeliveryService(
      DestinationDirectory directory,
      SegmentMappingStore mappings,
      PartnerGrants grants,
      FeedSettings feedSettings) {
    this.directory = directory;
    this.mappings = mappings;
    this.grants = grants;
    this.feedSettings = feedSettings;
  }

  /**
   * Splits of a refused batch one delivery may spend, so that one bad change does not dead-letter
   * the good ones sent with it, and a refusal of everything (a deleted audience) costs a bounded
   * number of calls. Locating one bad change in a batch of 10,000 takes about 28.
   */
  static final int SPLIT_CALLS = 32;

  /**
   * Sends the changes and answers the partner's overall verdict: the worst of its answers (see
   * {@link DeliveryReport#summary}). For callers that settle the changes as one unit.
   */
  public DeliveryOutcome deliver(DestinationName destinationName, List<MembershipChange> changes) {
    return deliverEach(destinationName, changes, CallPacer.UNLIMITED, Instant.MAX).summary();
  }

  /**
   * Sends the changes, each segment to its partner audience (found, or created idempotently), in
   * slices the partner accepts, and answers what became of each change. Every partner call waits
   * for its turn under {@code pacer}, until {@code deadline} at most: the changes it cannot send by
   * then are {@link DeliveryOutcome.Deferred}. A slice the partner refuses as a whole is split in
   * halves and sent again, so that only the refused changes are refused (within {@link
   * #SPLIT_CALLS}). After a partner asks the destination to wait, nothing more is sent.
   */
  public DeliveryReport deliverEach(
      DestinationName destinationName,
      List<MembershipChange> changes,
      CallPacer pacer,
      Instant deadline) {
    Route route =
        directory
            .byName(destinationName)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "destination '" + destinationName + "' is no longer configured"));
    List<Integer> all = new ArrayList<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      all.add(i);
    }
    switch (grants.authorise(route)) {
      case PartnerGrants.Authorisation.Ready ready -> route = ready.route();
      case PartnerGrants.Authorisation.NeedsLogin needsLogin -> {
        return single(all, new DeliveryOutcome.AwaitingAuthentication(needsLogin.reason()));
      }
      case PartnerGrants.Authorisation.RetryLater later -> {
        return single(all, new DeliveryOutcome.Retry(later.after(), later.reason()));
      }
    }
    Map<ExternalSegment, List<Integer>> bySegment = new LinkedHashMap<>();
    for (int i = 0; i < changes.size(); i++) {
      bySegment.computeIfAbsent(changes.get(i).segment(), s -> new ArrayList<>()).add(i);
    }
    Calls calls = new Calls(route, changes, pacer, deadline);
    for (Map.Entry<ExternalSegment, List<Integer>> group : bySegment.entrySet()) {
      calls.deliverSegment(group.getKey(), group.getValue());
    }
    return new DeliveryReport(calls.parts);
  }

  private static DeliveryReport single(List<Integer> positions, DeliveryOutcome outcome) {
    return new DeliveryReport(List.of(new DeliveryReport.Part(positions, outcome)));
  }

  /** The partner calls of one delivery, and what they settled. */
  private final class Calls {
    final Route route;
    final List<MembershipChange> changes;
    final CallPacer pacer;
    final Instant deadline;
    final List<DeliveryReport.Part> parts = new ArrayList<>();
    int splitsLeft = SPLIT_CALLS;

    /** Set once nothing more may be sent: what is left is deferred by this. */
    DeliveryOutcome stop;

    Calls(Route route, List<MembershipChange> changes, CallPacer pacer, Instant deadline) {
      this.route = route;
      this.changes = changes;
      this.pacer = pacer;
      this.deadline = deadline;
    }

    void deliverSegment(ExternalSegment segment, List<Integer> positions) {
      if (stopped(positions)) {
        return;
      }
      var known = mappings.find(route.destination().name(), segment);
      Route fitted;
      switch (feedSettings.fitForDelivery(route, segment, known.isEmpty())) {
        case FeedSettings.Fitted.Ready ready -> fitted = ready.route();
        case FeedSettings.Fitted.Invalid invalid -> {
          settle(positions, new DeliveryOutcome.Rejected(invalid.message()));
          return;
        }
        case FeedSettings.Fitted.Unavailable unavailable -> {
          settle(positions, new DeliveryOutcome.Retry(PLATFORM_WAIT, unavailable.reason()));
          return;
        }
      }
      PartnerAudience audience;
      if (known.isPresent()) {
        audience = known.get();
      } else {
        if (!turn(positions)) {
          return;
        }
        switch (fitted.connector().createAudience(fitted.destination(), segment)) {
          case AudienceOutcome.Ready ready -> audience = ready.audience();
          case AudienceOutcome.NotReadyYet notReady -> {
            mappings.save(route.destination().name(), segment, notReady.audience());
            settle(positions, new DeliveryOutcome.Retry(PROVISIONING_WAIT, notReady.reason()));
            return;
          }
          case AudienceOutcome.Retry retry -> {
            settle(positions, new DeliveryOutcome.Retry(retry.after(), retry.reason()));
            return;
          }
          case AudienceOutcome.Missing missing -> {
            settle(positions, new DeliveryOutcome.Rejected(missing.reason()));
            return;
          }
          case AudienceOutcome.Rejected rejected -> {
            settle(positions, new DeliveryOutcome.Rejected(rejected.reason()));
            return;
          }
        }
        mappings.save(route.destination().name(), segment, audience);
      }
      int limit = Math.max(1, fitted.connector().maxBatchSize(fitted.destination()));
      for (int from = 0; from < positions.size(); from += limit) {
        send(
            fitted,
            segment,
            audience,
            positions.subList(from, Math.min(positions.size(), from + limit)));
      }
    }

    /** One partner call for these changes; a refusal of a slice of several is split in two. */
    private void send(
        Route route, ExternalSegment segment, PartnerAudience audience, List<Integer> positions) {
      if (stopped(positions) || !turn(positions)) {
        return;
      }
      List<MembershipChange> slice = positions.stream().map(changes::get).toList();
      MembershipBatch batch = new MembershipBatch(batchId(route, audience, slice), segment, slice);
      DeliveryOutcome outcome = route.connector().deliver(route.destination(), audience, batch);
      switch (outcome) {
        case DeliveryOutcome.Ok ok -> settle(positions, ok);
        case DeliveryOutcome.PartlyRejected partly -> {
          List<Integer> refused = new ArrayList<>();
          List<Integer> delivered = new ArrayList<>();
          for (int i = 0; i < positions.size(); i++) {
            (partly.rejectedIndexes().contains(i) ? refused : delivered).add(positions.get(i));
          }
          settle(delivered, DeliveryOutcome.ok());
          settle(refused, new DeliveryOutcome.Rejected(partly.reason()));
        }
        case DeliveryOutcome.Rejected rejected -> {
          if (positions.size() > 1 && splitsLeft >= 2) {
            splitsLeft -= 2;
            int half = positions.size() / 2;
            send(route, segment, audience, positions.subList(0, half));
            send(route, segment, audience, positions.subList(half, positions.size()));
          } else {
            settle(
                positions,
                positions.size() > 1
                    ? new DeliveryOutcome.Rejected(
                        rejected.reason()
                            + " (refused with "
                            + (positions.size() - 1)
                            + " other change(s): the delivery's "
                            + SPLIT_CALLS
                            + " split calls were spent)")
                    : rejected);
          }
        }
        case DeliveryOutcome.Retry retry -> {
          settle(positions, retry);
          if (!retry.after().isZero()) {
            // The partner asked the destination to wait: nothing more goes in this delivery.
            stop = new DeliveryOutcome.Deferred(retry.after(), "the partner asked to wait");
          }
        }
        case DeliveryOutcome.AwaitingAuthentication awaiting -> {
          settle(positions, awaiting);
          stop = awaiting;
        }
        case DeliveryOutcome.Deferred deferred -> {
          // The partner's own limit (not the destination's pacer) held it back: the rest waits too.
          settle(positions, deferred);
          stop = deferred;
        }
      }
    }

    /** Takes a call's turn; when none comes by the deadline, what was to go is deferred. */
    private boolean turn(List<Integer> positions) {
      if (pacer.awaitTurn(deadline)) {
        return true;
      }
      stop =
          new DeliveryOutcome.Deferred(
              pacer.untilNextTurn(), "the destination's rate limit held the change back");
      settle(positions, stop);
      return false;
    }

    private boolean stopped(List<Integer> positions) {
      if (stop == null) {
        return false;
      }
      settle(positions, stop);
      return true;
    }

    private void settle(List<Integer> positions, DeliveryOutcome outcome) {
      if (!positions.isEmpty()) {
        parts.add(new DeliveryReport.Part(positions, outcome));
      }
    }
  }

  /**
   * A batch id derived from its content, so the same changes sent again carry the same id and a
   * partner that de-duplicates by it sees no duplicate: the name-based (version 3) UUID of {@code
   * destination|audience|<op><observed millis>,<type>=<value>...|...}.
   *
   * <p>The key is hashed a few kilobytes at a time: a batch of 10,000 changes would otherwise build
   * megabytes of text three times over (builder, string, bytes), each one a humongous object that
   * the collector must place in the old generation.
   */
  static String batchId(Route route, PartnerAudience audience, List<MembershipChange> changes) {
    MessageDigest md5 = md5();
    StringBuilder key = new StringBuilder(BATCH_ID_CHUNK + 256);
    key.append(route.destination().name()).append('|').append(audience.id());
    for (MembershipChange change : changes) {
      key.append('|').append(change.operation()).append(change.observedAt().toEpochMilli());
      for (UserIdentifier id : change.identifiers()) {
        key.append(',').append(id.type()).append('=').append(id.value());
      }
      // Cut only between changes: a surrogate pair never straddles two chunks.
      if (key.length() >= BATCH_ID_CHUNK) {
        md5.update(key.toString().getBytes(StandardCharsets.UTF_8));
        key.setLength(0);
      }
    }
    md5.update(key.toString().getBytes(StandardCharsets.UTF_8));
    return nameBasedUuid(md5.digest()).toString();
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  /** What {@link UUID#nameUUIDFromBytes} makes of an MD5 digest (RFC 4122, version 3). */
  private static UUID nameBasedUuid(byte[] md5) {
    md5[6] = (byte) ((md5[6] & 0x0f) | 0x30);
    md5[8] = (byte) ((md5[8] & 0x3f) | 0x80);
    ByteBuffer bytes = ByteBuffer.wrap(md5);
    return new UUID(bytes.getLong(), bytes.getLong());
  }
}

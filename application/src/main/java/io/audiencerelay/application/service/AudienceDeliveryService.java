package io.audiencerelay.application.service;

import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.application.service.DestinationDirectory.Route;
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

  /** How much of a batch id's key is hashed at a time (characters, about). */
  private static final int BATCH_ID_CHUNK = 8 * 1024;

  private final DestinationDirectory directory;
  private final SegmentMappingStore mappings;
  private final PartnerGrants grants;

  public AudienceDeliveryService(
      DestinationDirectory directory, SegmentMappingStore mappings, PartnerGrants grants) {
    this.directory = directory;
    this.mappings = mappings;
    this.grants = grants;
  }

  /**
   * Sends the changes; the answer is the worst of the partner's answers (a refusal over a retry
   * over success), and a retry waits for the longest delay any call asked for.
   */
  public DeliveryOutcome deliver(DestinationName destinationName, List<MembershipChange> changes) {
    Route route =
        directory
            .byName(destinationName)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "destination '" + destinationName + "' is no longer configured"));
    switch (grants.authorise(route)) {
      case PartnerGrants.Authorisation.Ready ready -> route = ready.route();
      case PartnerGrants.Authorisation.NeedsLogin needsLogin -> {
        return new DeliveryOutcome.AwaitingAuthentication(needsLogin.reason());
      }
      case PartnerGrants.Authorisation.RetryLater later -> {
        return new DeliveryOutcome.Retry(later.after(), later.reason());
      }
    }
    Map<ExternalSegment, List<Integer>> bySegment = new LinkedHashMap<>();
    for (int i = 0; i < changes.size(); i++) {
      bySegment.computeIfAbsent(changes.get(i).segment(), s -> new ArrayList<>()).add(i);
    }
    DeliveryOutcome worst = DeliveryOutcome.ok();
    for (Map.Entry<ExternalSegment, List<Integer>> group : bySegment.entrySet()) {
      List<Integer> positions = group.getValue();
      List<MembershipChange> segmentChanges = positions.stream().map(changes::get).toList();
      DeliveryOutcome outcome = deliverSegment(route, group.getKey(), segmentChanges);
      worst = worse(worst, reposition(outcome, positions));
    }
    return worst;
  }

  /**
   * Partial rejections name positions in the slice given to the partner; the caller knows positions
   * in its list.
   */
  private static DeliveryOutcome reposition(DeliveryOutcome outcome, List<Integer> positions) {
    if (outcome instanceof DeliveryOutcome.PartlyRejected partly) {
      return new DeliveryOutcome.PartlyRejected(
          partly.rejectedIndexes().stream().map(positions::get).toList(), partly.reason());
    }
    return outcome;
  }

  private DeliveryOutcome deliverSegment(
      Route route, ExternalSegment segment, List<MembershipChange> changes) {
    PartnerAudience audience;
    var known = mappings.find(route.destination().name(), segment);
    if (known.isPresent()) {
      audience = known.get();
    } else {
      switch (route.connector().createAudience(route.destination(), segment)) {
        case AudienceOutcome.Ready ready -> audience = ready.audience();
        case AudienceOutcome.NotReadyYet notReady -> {
          mappings.save(route.destination().name(), segment, notReady.audience());
          return new DeliveryOutcome.Retry(PROVISIONING_WAIT, notReady.reason());
        }
        case AudienceOutcome.Retry retry -> {
          return new DeliveryOutcome.Retry(retry.after(), retry.reason());
        }
        case AudienceOutcome.Missing missing -> {
          return new DeliveryOutcome.Rejected(missing.reason());
        }
        case AudienceOutcome.Rejected rejected -> {
          return new DeliveryOutcome.Rejected(rejected.reason());
        }
      }
      mappings.save(route.destination().name(), segment, audience);
    }
    int limit = Math.max(1, route.connector().maxBatchSize());
    DeliveryOutcome worst = DeliveryOutcome.ok();
    for (int from = 0; from < changes.size(); from += limit) {
      List<MembershipChange> slice = changes.subList(from, Math.min(changes.size(), from + limit));
      MembershipBatch batch = new MembershipBatch(batchId(route, audience, slice), segment, slice);
      DeliveryOutcome outcome = route.connector().deliver(route.destination(), audience, batch);
      if (outcome instanceof DeliveryOutcome.PartlyRejected partly) {
        int offset = from;
        outcome =
            new DeliveryOutcome.PartlyRejected(
                partly.rejectedIndexes().stream().map(i -> i + offset).toList(), partly.reason());
      }
      worst = worse(worst, outcome);
      if (worst instanceof DeliveryOutcome.Rejected) {
        break;
      }
    }
    return worst;
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

  /**
   * Refusal over retry over partial refusal over success; retries keep the longest delay, partials
   * merge.
   */
  static DeliveryOutcome worse(DeliveryOutcome a, DeliveryOutcome b) {
    if (a instanceof DeliveryOutcome.Rejected) {
      return a;
    }
    if (b instanceof DeliveryOutcome.Rejected) {
      return b;
    }
    if (a instanceof DeliveryOutcome.AwaitingAuthentication) {
      return a;
    }
    if (b instanceof DeliveryOutcome.AwaitingAuthentication) {
      return b;
    }
    if (a instanceof DeliveryOutcome.Retry ra && b instanceof DeliveryOutcome.Retry rb) {
      return ra.after().compareTo(rb.after()) >= 0 ? ra : rb;
    }
    if (a instanceof DeliveryOutcome.Retry || b instanceof DeliveryOutcome.Retry) {
      return a instanceof DeliveryOutcome.Retry ? a : b;
    }
    if (a instanceof DeliveryOutcome.PartlyRejected pa
        && b instanceof DeliveryOutcome.PartlyRejected pb) {
      List<Integer> both = new ArrayList<>(pa.rejectedIndexes());
      both.addAll(pb.rejectedIndexes());
      return new DeliveryOutcome.PartlyRejected(both, pa.reason());
    }
    return a instanceof DeliveryOutcome.PartlyRejected ? a : b;
  }
}

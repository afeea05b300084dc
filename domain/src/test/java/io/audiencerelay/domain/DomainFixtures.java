package io.audiencerelay.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Ready-made domain values for tests of every module (published in the domain's test-jar). */
public final class DomainFixtures {
  public static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  public static final ExternalSegment SEGMENT = ExternalSegment.of("6921", "84213", "1509");
  public static final DestinationName DEMO = new DestinationName("demo");

  private DomainFixtures() {}

  public static UserIdentifier email(String hash) {
    return new UserIdentifier.UserEmail(hash, null);
  }

  public static MembershipChange add(String... emailHashes) {
    return change(MembershipOperation.ADD, emailHashes);
  }

  public static MembershipChange remove(String... emailHashes) {
    return change(MembershipOperation.REMOVE, emailHashes);
  }

  private static MembershipChange change(MembershipOperation operation, String... emailHashes) {
    List<UserIdentifier> ids =
        java.util.Arrays.stream(emailHashes).map(DomainFixtures::email).toList();
    return new MembershipChange(SEGMENT, operation, ids, T0);
  }

  public static Destination destination(String name, String type, Map<String, String> settings) {
    return new Destination(new DestinationName(name), type, settings);
  }
}

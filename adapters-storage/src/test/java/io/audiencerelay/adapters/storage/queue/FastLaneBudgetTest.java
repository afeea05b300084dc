package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.DomainFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fast lane bounds the heap it holds in bytes, not only in changes, and so do its claims. */
class FastLaneBudgetTest {
  private static final DestinationName DEMO = DomainFixtures.DEMO;
  private static final Instant NOW = DomainFixtures.T0;

  static JournalRecords.QueueRow row(long sequence, int identifierChars) {
    return new JournalRecords.QueueRow(
        "demo",
        "6921",
        "84213",
        null,
        "add",
        "[[\"P\",\"" + "u".repeat(identifierChars) + "\"]]",
        NOW.toEpochMilli(),
        NOW.toEpochMilli(),
        sequence);
  }

  @Test
  void changesWithLargeIdentifiersFillTheLaneByTheirBytes() {
    FastLane lane = new FastLane(1_000, 20_000);
    JournalRecords.QueueRow large = row(1, 4_000); // about 8 KB held

    assertThat(lane.reserve(large)).isTrue();
    assertThat(lane.reserve(row(2, 4_000))).isTrue();
    assertThat(lane.reserve(row(3, 4_000))).as("a third would pass 20,000 bytes").isFalse();
    assertThat(lane.reserve(row(4, 10))).as("a small one still fits").isTrue();
    assertThat(lane.size()).isEqualTo(3);

    lane.unreserve(List.of(List.of(large)));
    assertThat(lane.reserve(row(5, 4_000))).isTrue();
  }

  @Test
  void aClaimStopsOnceItsChangesWeighItsBound() {
    FastLane lane = new FastLane(1_000, Long.MAX_VALUE);
    Map<DestinationName, List<JournalRecords.QueueRow>> rows = new HashMap<>();
    rows.put(DEMO, List.of(row(1, 4_000), row(2, 4_000), row(3, 4_000), row(4, 4_000)));
    rows.get(DEMO).forEach(lane::reserve);
    lane.add(0, rows);

    var claimed = lane.claim(DEMO, 100, 10_000, NOW, Duration.ofMinutes(1), new HashMap<>());

    // The first passes nothing; the second reaches the bound, and the claim stops there.
    assertThat(claimed).hasSize(2);
    assertThat(lane.claim(DEMO, 100, 10_000, NOW, Duration.ofMinutes(1), new HashMap<>()))
        .hasSize(2);
  }
}

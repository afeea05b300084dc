package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalRecordsTest {
  private static final Instant OBSERVED = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void readsBackEveryChangeWhenSegmentsAndOperationsChangeWithinOneRecord() {
    // The record reuses the bytes of a column that repeats: each change must still carry its own.
    List<MembershipChange> changes =
        List.of(
            change("6921", "84213", "1509", MembershipOperation.ADD, "u1"),
            change("6921", "84213", "1509", MembershipOperation.ADD, "u2"),
            change("6921", "99", null, MembershipOperation.REMOVE, "u3"),
            change("7000", "84213", "1509", MembershipOperation.ADD, "ü\"4"));

    ByteBuffer record = JournalRecords.record(new DestinationName("sink"), changes, 42L);
    List<JournalRecords.QueueRow> rows = new ArrayList<>();
    JournalRecords.decode(
        1000L,
        record.position(AcceptJournal.HEADER_BYTES).slice(),
        new RepeatedStrings(),
        rows::add);

    assertThat(rows).extracting(JournalRecords.QueueRow::change).isEqualTo(changes);
    // The identifiers are written straight into the record: the same text as the column's.
    assertThat(rows)
        .extracting(JournalRecords.QueueRow::identifiers)
        .containsExactly(
            "[[\"P\",\"u1\"]]", "[[\"P\",\"u2\"]]", "[[\"P\",\"u3\"]]", "[[\"P\",\"ü\\\"4\"]]");
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.destination()).isEqualTo("sink");
              assertThat(row.enqueuedAt()).isEqualTo(42L);
            });
    // In acceptance order: the record's position, then each change's index in it.
    assertThat(rows)
        .extracting(JournalRecords.QueueRow::sequence)
        .containsExactly(1000L, 1001L, 1002L, 1003L);
  }

  @Test
  void changesOfSeveralRecordsShareTheirRepeatedColumnsButNotTheirIdentifiers() {
    RepeatedStrings shared = new RepeatedStrings();
    List<JournalRecords.QueueRow> rows = new ArrayList<>();
    for (String user : List.of("u1", "u1")) {
      ByteBuffer record =
          JournalRecords.record(
              new DestinationName("sink"),
              List.of(change("6921", "84213", "1509", MembershipOperation.ADD, user)),
              42L);
      JournalRecords.decode(
          0L, record.position(AcceptJournal.HEADER_BYTES).slice(), shared, rows::add);
    }

    JournalRecords.QueueRow first = rows.get(0);
    JournalRecords.QueueRow second = rows.get(1);
    assertThat(second.destination()).isSameAs(first.destination());
    assertThat(second.feedId()).isSameAs(first.feedId());
    assertThat(second.segmentId()).isSameAs(first.segmentId());
    assertThat(second.datamartId()).isSameAs(first.datamartId());
    assertThat(second.operation()).isSameAs(first.operation());
    assertThat(second.identifiers())
        .isEqualTo(first.identifiers())
        .isNotSameAs(first.identifiers());
  }

  private static MembershipChange change(
      String feed, String segment, String datamart, MembershipOperation operation, String user) {
    return new MembershipChange(
        ExternalSegment.of(feed, segment, datamart),
        operation,
        List.of(new UserIdentifier.UserPoint(user)),
        OBSERVED);
  }
}

package io.audiencerelay.adapters.storage.queue;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The accept journal's record: one accepted enqueue, holding the queue's column values so the
 * database takes them without rebuilding domain objects. Layout: destination, enqueued-at, count,
 * then per change feed, segment, datamart (may be absent), operation, identifiers, observed-at.
 * Strings are a length and UTF-8 bytes; a length of -1 is an absent value.
 */
final class JournalRecords {
  // Columns that usually repeat from one change to the next (a batch is mostly one segment): their
  // UTF-8 bytes are encoded once and reused.
  private static final int FEED = 0;
  private static final int SEGMENT = 1;
  private static final int DATAMART = 2;
  private static final int OPERATION = 3;
  private final String[] lastValues = new String[4];
  private final byte[][] lastBytes = new byte[4][];

  /**
   * One row of {@code delivery_queue}, as it was accepted.
   *
   * @param sequence its place in the acceptance order: from the journal, the record's position plus
   *     the change's index in it (a change takes more than one byte of its record, so no two
   *     changes share one); 0 for a change the database numbers itself (PostgreSQL)
   */
  record QueueRow(
      String destination,
      String feedId,
      String segmentId,
      String datamartId,
      String operation,
      String identifiers,
      long observedAt,
      long enqueuedAt,
      long sequence) {

    /**
     * The columns of an accepted change, for a direct insert; {@link JournalRecords#record} writes
     * the same values as bytes.
     */
    static QueueRow of(DestinationName destination, MembershipChange change, long enqueuedAt) {
      return new QueueRow(
          destination.value(),
          change.segment().feedId().value(),
          change.segment().segmentId().value(),
          change.segment().datamartId(),
          change.operation().wireName(),
          IdentifierCodec.encode(change.identifiers()),
          change.observedAt().toEpochMilli(),
          enqueuedAt,
          0);
    }

    /** The change these values hold: the one place queue values become a change again. */
    MembershipChange change() {
      return change(feedId, segmentId, datamartId, operation, identifiers, observedAt);
    }

    /** The change held by the queue's column values, read from a row or from the journal. */
    static MembershipChange change(
        String feedId,
        String segmentId,
        String datamartId,
        String operation,
        String identifiers,
        long observedAt) {
      return new MembershipChange(
          ExternalSegment.of(feedId, segmentId, datamartId),
          "remove".equals(operation) ? MembershipOperation.REMOVE : MembershipOperation.ADD,
          IdentifierCodec.decode(identifiers),
          Instant.ofEpochMilli(observedAt));
    }
  }

  private final GrowableBytes out;

  private JournalRecords(int expectedBytes) {
    out = new GrowableBytes(expectedBytes);
  }

  /**
   * One enqueue as a framed record, ready for {@link AcceptJournal#appendDurably}. Built on the
   * caller's thread, so the journal's one writer only writes.
   */
  static ByteBuffer record(
      DestinationName destination, List<MembershipChange> changes, long enqueuedAt) {
    JournalRecords record = new JournalRecords(64 + 160 * changes.size());
    GrowableBytes out = record.out;
    out.size(AcceptJournal.HEADER_BYTES);
    record.putString(destination.value());
    out.putLong(enqueuedAt);
    out.putInt(changes.size());
    for (MembershipChange change : changes) {
      ExternalSegment segment = change.segment();
      record.putRepeated(FEED, segment.feedId().value());
      record.putRepeated(SEGMENT, segment.segmentId().value());
      record.putRepeated(DATAMART, segment.datamartId());
      record.putRepeated(OPERATION, change.operation().wireName());
      int lengthAt = out.size();
      out.putInt(0);
      IdentifierCodec.encode(change.identifiers(), out);
      out.putInt(lengthAt, out.size() - lengthAt - 4);
      out.putLong(change.observedAt().toEpochMilli());
    }
    ByteBuffer framed = ByteBuffer.wrap(out.array()).position(out.size());
    AcceptJournal.frame(framed, 0);
    return framed.flip();
  }

  /**
   * Reads one record's payload into rows; the columns that repeat come from {@code shared}, the
   * identifiers are each their own. {@code position} is the record's in the journal.
   */
  static void decode(
      long position, ByteBuffer payload, RepeatedStrings shared, Consumer<QueueRow> rows) {
    ByteBuffer in = payload.duplicate();
    String destination = getString(in, shared);
    long enqueuedAt = in.getLong();
    int count = in.getInt();
    for (int i = 0; i < count; i++) {
      String feedId = getString(in, shared);
      String segmentId = getString(in, shared);
      String datamartId = getString(in, shared);
      String operation = getString(in, shared);
      String identifiers = getString(in, null);
      long observedAt = in.getLong();
      rows.accept(
          new QueueRow(
              destination,
              feedId,
              segmentId,
              datamartId,
              operation,
              identifiers,
              observedAt,
              enqueuedAt,
              position + i));
    }
  }

  private void putString(String value) {
    if (value == null) {
      out.putInt(-1);
      return;
    }
    putBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  private void putRepeated(int column, String value) {
    if (value == null) {
      out.putInt(-1);
      return;
    }
    if (!value.equals(lastValues[column])) {
      lastValues[column] = value;
      lastBytes[column] = value.getBytes(StandardCharsets.UTF_8);
    }
    putBytes(lastBytes[column]);
  }

  private void putBytes(byte[] bytes) {
    out.putInt(bytes.length);
    out.put(bytes);
  }

  private static String getString(ByteBuffer in, RepeatedStrings shared) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    int offset = in.arrayOffset() + in.position();
    String value =
        shared != null
            ? shared.decode(in.array(), offset, length)
            : new String(in.array(), offset, length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return value;
  }
}

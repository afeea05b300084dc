package io.audiencerelay.adapters.storage.jdbc;

import io.audiencerelay.domain.MembershipChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The accept journal's record: one accepted enqueue, holding the queue's column values so the
 * database takes them without rebuilding domain objects. Layout: destination, enqueued-at, count,
 * then per change feed, segment, datamart (may be absent), operation, identifiers, observed-at.
 * Strings are a length and UTF-8 bytes; a length of -1 is an absent value.
 */
final class JournalRecords {
  private static final int RETAINED_BYTES = 4 << 20;
  private ByteBuffer buffer = ByteBuffer.allocate(64 << 10);

  /** One row of {@code delivery_queue}, as it was accepted. */
  record QueueRow(
      String destination,
      String feedId,
      String segmentId,
      String datamartId,
      String operation,
      String identifiers,
      long observedAt,
      long enqueuedAt) {}

  /**
   * Frames one record per enqueue of the group, ready for {@link AcceptJournal#appendDurably}. The
   * buffer is reused: it is valid until the next call.
   */
  ByteBuffer encode(
      List<JdbcDeliveryQueue.PendingWrite> group, long enqueuedAt, AcceptJournal journal) {
    // A burst of large batches may have grown the buffer: do not keep that much around.
    buffer = buffer.capacity() > RETAINED_BYTES ? ByteBuffer.allocate(64 << 10) : buffer.clear();
    for (JdbcDeliveryQueue.PendingWrite write : group) {
      int start = buffer.position();
      ensure(AcceptJournal.HEADER_BYTES);
      buffer.position(start + AcceptJournal.HEADER_BYTES);
      putString(write.destination().value());
      ensure(12);
      buffer.putLong(enqueuedAt).putInt(write.changes().size());
      for (MembershipChange change : write.changes()) {
        putString(change.segment().feedId().value());
        putString(change.segment().segmentId().value());
        putString(change.segment().datamartId());
        putString(change.operation().wireName());
        putString(IdentifierCodec.encode(change.identifiers()));
        ensure(8);
        buffer.putLong(change.observedAt().toEpochMilli());
      }
      journal.frame(buffer, start);
    }
    return buffer.flip();
  }

  /** Reads one record's payload into rows. */
  static void decode(ByteBuffer payload, Consumer<QueueRow> rows) {
    ByteBuffer in = payload.duplicate();
    String destination = getString(in);
    long enqueuedAt = in.getLong();
    int count = in.getInt();
    for (int i = 0; i < count; i++) {
      String feedId = getString(in);
      String segmentId = getString(in);
      String datamartId = getString(in);
      String operation = getString(in);
      String identifiers = getString(in);
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
              enqueuedAt));
    }
  }

  private void putString(String value) {
    if (value == null) {
      ensure(4);
      buffer.putInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    ensure(4 + bytes.length);
    buffer.putInt(bytes.length).put(bytes);
  }

  private static String getString(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    String value =
        new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return value;
  }

  private void ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      ByteBuffer larger =
          ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
      buffer.flip();
      larger.put(buffer);
      buffer = larger;
    }
  }
}

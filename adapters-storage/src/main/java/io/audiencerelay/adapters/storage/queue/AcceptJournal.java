package io.audiencerelay.adapters.storage.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * An append-only log of accepted updates, in segment files under one directory. A group of records
 * is appended and forced to disk in one write, so a request can be answered after a sequential
 * append instead of after B-tree page writes; the database takes the records in the background.
 *
 * <p>Positions are byte offsets in one logical stream; a segment file is named by the position of
 * its first byte. A record is framed as {@code [length][CRC32C][payload]}, so a torn write at the
 * tail (a crash mid-append, never answered) is recognised and cut off when the journal is opened.
 * One thread appends; another reads and releases.
 *
 * <p>Long because the record format, the append that forces it to disk, segment rotation and the
 * recovery of a torn tail must be read together: each relies on the others' exact byte layout.
 */
final class AcceptJournal implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AcceptJournal.class.getName());
  static final int HEADER_BYTES = 8;
  private static final int MAX_RECORD_BYTES = 256 << 20;
  private static final int STAGING_BYTES = 256 << 10;
  private static final int READ_CHUNK_BYTES = 1 << 20;
  private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\.log");
  private static final String LOCK_FILE = "owner.lock";

  /** A segment file; {@code end} is where its valid records stop once it is no longer appended. */
  private static final class Segment {
    final long start;
    final Path file;
    volatile long end;
    FileChannel reader;

    Segment(long start, Path file, long end) {
      this.start = start;
      this.file = file;
      this.end = end;
    }
  }

  /** Opens a segment file to append to: a seam where tests inject a disk that fails. */
  @FunctionalInterface
  interface AppendChannels {
    FileChannel open(Path file, StandardOpenOption... options) throws IOException;
  }

  private final Path directory;
  private final long segmentBytes;
  private final AppendChannels channels;
  // Set after a failed append: the next one starts a fresh segment at the durable end, so that no
  // acknowledged record is ever written behind the bytes a failed write may have left.
  private boolean needsFreshSegment;
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final CRC32C readCrc = new CRC32C();
  private volatile Segment active;
  private FileChannel appender;
  private FileChannel ownership;
  private volatile long durableEnd;
  private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES); // the appender's
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_CHUNK_BYTES); // the reader's

  private AcceptJournal(Path directory, long segmentBytes, AppendChannels channels) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.channels = channels;
  }

  /**
   * Opens the journal, creating the directory if needed. Records before {@code appliedThrough} are
   * already in the database: their segments are deleted. A torn record at the tail is cut off.
   */
  static AcceptJournal open(Path directory, long appliedThrough, long segmentBytes)
      throws IOException {
    return open(directory, appliedThrough, segmentBytes, FileChannel::open);
  }

  static AcceptJournal open(
      Path directory, long appliedThrough, long segmentBytes, AppendChannels channels)
      throws IOException {
    Files.createDirectories(directory);
    AcceptJournal journal = new AcceptJournal(directory, segmentBytes, channels);
    journal.lockOwnership();
    try {
      journal.recover(appliedThrough);
    } catch (IOException | RuntimeException e) {
      journal.ownership.close();
      throw e;
    }
    return journal;
  }

  /**
   * Takes the directory for this process: a second relay appending to the same segments would
   * interleave records and lose accepted updates. The operating system drops the lock when the
   * process dies, so a crash leaves nothing to clean up.
   */
  private void lockOwnership() throws IOException {
    ownership =
        FileChannel.open(
            directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ownership.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      lock = null;
    }
    if (lock == null) {
      ownership.close();
      throw new IOException(
          "another relay process holds it: one embedded store serves one relay"
              + " (with PostgreSQL, several share the work)");
    }
  }

  /** Where the records forced to disk end: everything before it survives a crash. */
  long durableEnd() {
    return durableEnd;
  }

  /**
   * Appends framed records (see {@link #frame}) and forces them to disk once. They go through one
   * small direct buffer, so neither a large group nor a large record leaves native memory behind.
   * On failure the segment is cut back to where it was, so a failed append leaves nothing behind.
   *
   * @return the new durable end
   */
  long appendDurably(List<ByteBuffer> records) throws IOException {
    if (needsFreshSegment) {
      openActive(durableEnd); // throws again while the disk still refuses
      needsFreshSegment = false;
    } else if (durableEnd - active.start >= segmentBytes) {
      rotate();
    }
    long before = durableEnd - active.start;
    try {
      staging.clear();
      for (ByteBuffer record : records) {
        ByteBuffer rest = record.duplicate();
        while (rest.hasRemaining()) {
          int piece = Math.min(rest.remaining(), staging.remaining());
          staging.put(staging.position(), rest, rest.position(), piece);
          staging.position(staging.position() + piece);
          rest.position(rest.position() + piece);
          if (!staging.hasRemaining()) {
            writeStaged();
          }
        }
      }
      writeStaged();
      appender.force(false);
      confirmStillWritable();
    } catch (IOException | RuntimeException e) {
      abandonActive(before);
      throw e;
    }
    durableEnd = active.start + appender.position();
    return durableEnd;
  }

  /**
   * Linux's ext4, once an error has turned it read-only, answers fsync with success without writing
   * what was written just before: an append is durable only if the segment can still be opened for
   * writing after its force. One open and close per group, beside the force's milliseconds.
   */
  private void confirmStillWritable() throws IOException {
    channels.open(active.file, StandardOpenOption.WRITE).close();
  }

  /**
   * After a failed append the segment may hold bytes after its last acknowledged record, and
   * cutting them may fail too (a full disk): the segment ends where its acknowledged records end
   * (readers stop there, recovery cuts there) and the next append opens a fresh segment.
   */
  private void abandonActive(long validLength) {
    active.end = active.start + validLength;
    needsFreshSegment = true;
    try {
      appender.truncate(validLength);
    } catch (IOException | RuntimeException cutFailed) {
      // Recovery cuts it: a segment never reaches past the next one's start.
    }
    try {
      appender.close();
    } catch (IOException closeFailed) {
      LOG.log(Level.FINE, closeFailed, () -> "closing an abandoned journal segment");
    }
  }

  private void writeStaged() throws IOException {
    staging.flip();
    while (staging.hasRemaining()) {
      appender.write(staging);
    }
    staging.clear();
  }

  /**
   * Frames a record in place: {@code buffer} holds, from {@code start}, {@link #HEADER_BYTES} left
   * free followed by the payload up to its position.
   */
  static void frame(ByteBuffer buffer, int start) {
    int length = buffer.position() - start - HEADER_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), start + HEADER_BYTES, length);
    buffer.putInt(start, length);
    buffer.putInt(start + 4, (int) crc.getValue());
  }

  /**
   * Hands the payloads of whole records from {@code position} to {@code end} to {@code record}
   * (with each record's position), about {@code maxBytes} at most (always at least one record). A
   * payload is valid only during its call.
   *
   * @return the position after the last record handed over
   */
  long read(long position, long end, int maxBytes, RecordReader record) throws IOException {
    long budget = maxBytes;
    while (position < end && budget > 0) {
      Segment segment = segmentAt(position);
      position = Math.max(position, segment.start);
      long segmentEnd = Math.min(end, segment.end);
      if (position >= segmentEnd) {
        Map.Entry<Long, Segment> next = segments.higherEntry(segment.start);
        if (next == null) {
          return position;
        }
        position = next.getKey();
        continue;
      }
      int chunk = (int) Math.min(segmentEnd - position, Math.min(budget, READ_CHUNK_BYTES));
      ByteBuffer bytes = fill(segment, position, chunk);
      int consumed = 0;
      while (chunk - consumed >= HEADER_BYTES) {
        int length = recordLength(bytes, consumed, segment, position + consumed, segmentEnd);
        if (consumed + HEADER_BYTES + length > chunk) {
          break;
        }
        consumed += handOver(bytes, consumed, length, segment, position + consumed, record);
      }
      if (consumed == 0) { // the first record is larger than the budget: read it whole
        ByteBuffer header = fill(segment, position, HEADER_BYTES);
        int length = recordLength(header, 0, segment, position, segmentEnd);
        consumed =
            handOver(
                fill(segment, position, HEADER_BYTES + length),
                0,
                length,
                segment,
                position,
                record);
      }
      position += consumed;
      budget -= consumed;
    }
    return position;
  }

  /** Takes each record's payload, with the position of its frame in the journal. */
  @FunctionalInterface
  interface RecordReader {
    void accept(long position, ByteBuffer payload);
  }

  /** Deletes the segments whose records all lie before {@code appliedThrough}. */
  void release(long appliedThrough) {
    for (Segment segment : segments.values()) {
      if (segment == active || segment.end > appliedThrough) {
        return;
      }
      segments.remove(segment.start);
      try {
        if (segment.reader != null) {
          segment.reader.close();
        }
        Files.deleteIfExists(segment.file);
      } catch (IOException e) {
        LOG.log(Level.WARNING, e, () -> "could not delete the applied journal " + segment.file);
      }
    }
  }

  /** How many segment files the journal holds now. */
  int segmentCount() {
    return segments.size();
  }

  @Override
  public void close() throws IOException {
    for (Segment segment : segments.values()) {
      if (segment.reader != null) {
        segment.reader.close();
      }
    }
    try {
      appender.close();
    } finally {
      ownership.close();
    }
  }

  // --- internals ---

  private void recover(long appliedThrough) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (SEGMENT_NAME.matcher(name).matches()) {
          long start = Long.parseLong(name.substring(0, 20));
          segments.put(start, new Segment(start, file, start + Files.size(file)));
        }
      }
    }
    release(appliedThrough);
    if (segments.isEmpty()) {
      // A new journal, or every record already applied: continue the positions after them.
      openActive(appliedThrough);
      return;
    }
    for (Segment segment : segments.values()) {
      // A segment abandoned after a failed append may hold bytes past the start of the next one:
      // records only count up to there, where the next segment took over.
      Map.Entry<Long, Segment> next = segments.higherEntry(segment.start);
      if (next != null && segment.end > next.getKey()) {
        segment.end = next.getKey();
      }
      long from = Math.max(segment.start, appliedThrough);
      long validEnd = lastIntact(segment, from);
      if (validEnd < segment.end) {
        long lost = segment.end - validEnd;
        LOG.warning(
            () ->
                "accept journal "
                    + segment.file.getFileName()
                    + ": cut "
                    + lost
                    + " byte(s) of an incomplete record (a write interrupted before it was answered)");
        segment.end = validEnd;
      }
    }
    Segment last = segments.lastEntry().getValue();
    active = last;
    appender = channels.open(last.file, StandardOpenOption.WRITE);
    appender.truncate(last.end - last.start);
    appender.position(last.end - last.start);
    appender.force(false);
    durableEnd = last.end;
    last.end = Long.MAX_VALUE;
  }

  /** Walks records one at a time from {@code from} and returns where the intact ones end. */
  private long lastIntact(Segment segment, long from) throws IOException {
    long position = from;
    while (position + HEADER_BYTES <= segment.end) {
      ByteBuffer header = fill(segment, position, HEADER_BYTES);
      if (header.remaining() < HEADER_BYTES) {
        return position;
      }
      int length = header.getInt(0);
      if (!lengthFits(length, position, segment.end)
          || !checksumMatches(fill(segment, position, HEADER_BYTES + length), 0, length)) {
        return position;
      }
      position += HEADER_BYTES + length;
    }
    return position;
  }

  private void rotate() throws IOException {
    long start = durableEnd;
    // Set the old segment's end before the new one is published, so a reader never looks past it.
    active.end = start;
    appender.close();
    needsFreshSegment = true; // until the new segment is open
    openActive(start);
    needsFreshSegment = false;
  }

  private void openActive(long start) throws IOException {
    Path file = directory.resolve(String.format("%020d.log", start));
    FileChannel opened =
        channels.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    try {
      opened.force(true);
      // The new file's name must survive a crash too.
      try (FileChannel parent = FileChannel.open(directory, StandardOpenOption.READ)) {
        parent.force(true);
      }
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
    appender = opened;
    Segment fresh = new Segment(start, file, Long.MAX_VALUE);
    Segment replaced = segments.put(start, fresh);
    if (replaced != null && replaced.reader != null) {
      // An abandoned segment with no acknowledged record: the fresh one reuses its name.
      replaced.reader.close();
    }
    active = fresh;
    durableEnd = start;
  }

  /** The segment holding a position, or the first one when the position precedes them all. */
  private Segment segmentAt(long position) {
    Map.Entry<Long, Segment> entry = segments.floorEntry(position);
    return entry != null ? entry.getValue() : segments.firstEntry().getValue();
  }

  /** Reads up to {@code length} bytes of a segment from a stream position (fewer at its end). */
  private ByteBuffer fill(Segment segment, long position, int length) throws IOException {
    long offset = position - segment.start;
    // A record larger than the usual chunk gets a buffer of its own, not kept afterwards.
    ByteBuffer into =
        length <= readBuffer.capacity() ? readBuffer.clear() : ByteBuffer.allocate(length);
    if (segment.reader == null) {
      segment.reader = FileChannel.open(segment.file, StandardOpenOption.READ);
    }
    into.limit(length);
    while (into.hasRemaining()) {
      if (segment.reader.read(into, offset + into.position()) < 0) {
        break;
      }
    }
    return into.flip();
  }

  /** The length of the record at {@code index}, checked to end within the readable part. */
  private static int recordLength(
      ByteBuffer bytes, int index, Segment segment, long position, long segmentEnd)
      throws IOException {
    if (bytes.limit() - index < HEADER_BYTES) {
      throw damaged(segment, position, "a record header is cut short");
    }
    int length = bytes.getInt(index);
    if (!lengthFits(length, position, segmentEnd)) {
      throw damaged(segment, position, "a record length is out of bounds");
    }
    return length;
  }

  /**
   * Whether a record of {@code length} at {@code position} is plausible and ends by {@code end}.
   */
  private static boolean lengthFits(int length, long position, long end) {
    return length >= 0 && length <= MAX_RECORD_BYTES && position + HEADER_BYTES + length <= end;
  }

  /** Whether the record at {@code index} of {@code bytes} carries its payload's checksum. */
  private boolean checksumMatches(ByteBuffer bytes, int index, int length) {
    return bytes.getInt(index + 4) == crcOf(bytes.slice(index + HEADER_BYTES, length));
  }

  /** Checks the record at {@code index} and hands its payload over; returns its framed size. */
  private int handOver(
      ByteBuffer bytes, int index, int length, Segment segment, long position, RecordReader record)
      throws IOException {
    if (bytes.limit() - index < HEADER_BYTES + length) {
      throw damaged(segment, position, "a record is cut short");
    }
    if (!checksumMatches(bytes, index, length)) {
      throw damaged(segment, position, "a checksum does not match");
    }
    record.accept(position, bytes.slice(index + HEADER_BYTES, length));
    return HEADER_BYTES + length;
  }

  private static IOException damaged(Segment segment, long position, String what) {
    return new IOException(
        "accept journal " + segment.file.getFileName() + ": " + what + " at position " + position);
  }

  private int crcOf(ByteBuffer payload) {
    readCrc.reset();
    readCrc.update(payload.duplicate());
    return (int) readCrc.getValue();
  }

  /** The journal's directory, as logs name it. */
  @Override
  public String toString() {
    return directory.toString();
  }
}

package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fails mid-append (full, say) and then refuses to cut back what it wrote: the next
 * acknowledged records never land behind those bytes, so a restart reads every acknowledged record
 * and none that was not.
 */
class AcceptJournalFaultTest {
  private static final long LARGE_SEGMENTS = 1 << 20;

  @TempDir Path directory;

  /** What the disk does next; the test sets it between appends. */
  enum Fault {
    NONE,
    /** A write stores half its bytes, then the disk is full; cutting back fails too. */
    WRITE_HALF_THEN_FULL,
    /** Every byte is written, then forcing them to disk fails; cutting back fails too. */
    FORCE_FAILS,
    /** No new file can be created. */
    NO_NEW_FILE,
    /**
     * The file system turned read-only under the journal: forcing still answers success (ext4 does,
     * without writing), but no file opens for writing any more.
     */
    READ_ONLY
  }

  volatile Fault fault = Fault.NONE;

  AcceptJournal open() throws IOException {
    return AcceptJournal.open(
        directory,
        0,
        LARGE_SEGMENTS,
        (file, options) -> {
          if (fault == Fault.NO_NEW_FILE && List.of(options).contains(StandardOpenOption.CREATE)) {
            throw new IOException("No space left on device");
          }
          if (fault == Fault.READ_ONLY && List.of(options).contains(StandardOpenOption.WRITE)) {
            throw new IOException("Read-only file system");
          }
          return new FaultyChannel(FileChannel.open(file, options));
        });
  }

  @Test
  void afterAWriteCutShortTheNextRecordsGoToAFreshSegment() throws IOException {
    try (AcceptJournal journal = open()) {
      journal.appendDurably(AcceptJournalTest.frames("one"));
      fault = Fault.WRITE_HALF_THEN_FULL;
      assertThatThrownBy(
              () ->
                  journal.appendDurably(
                      AcceptJournalTest.frames("never-acknowledged-" + "x".repeat(200))))
          .hasMessage("No space left on device");
      fault = Fault.NONE;
      journal.appendDurably(AcceptJournalTest.frames("two"));
      journal.appendDurably(AcceptJournalTest.frames("three"));

      assertThat(readAll(journal)).containsExactly("one", "two", "three");
    }
    try (AcceptJournal reopened = open()) {
      assertThat(readAll(reopened)).containsExactly("one", "two", "three");
    }
  }

  @Test
  void recordsWrittenWholeButNeverForcedAreNotReadAfterARestart() throws IOException {
    try (AcceptJournal journal = open()) {
      journal.appendDurably(AcceptJournalTest.frames("one"));
      fault = Fault.FORCE_FAILS;
      // Whole records reach the file, then the sync fails: never acknowledged.
      assertThatThrownBy(
              () -> journal.appendDurably(AcceptJournalTest.frames("ghost-a", "ghost-b")))
          .hasMessage("Input/output error");
      fault = Fault.NONE;
      journal.appendDurably(AcceptJournalTest.frames("two"));
    }
    try (AcceptJournal reopened = open()) {
      assertThat(readAll(reopened)).containsExactly("one", "two");
    }
  }

  @Test
  void whileNoFreshSegmentCanBeCreatedAppendsFailAndThenResume() throws IOException {
    try (AcceptJournal journal = open()) {
      journal.appendDurably(AcceptJournalTest.frames("one"));
      fault = Fault.WRITE_HALF_THEN_FULL;
      assertThatThrownBy(() -> journal.appendDurably(AcceptJournalTest.frames("lost-write")))
          .isInstanceOf(IOException.class);
      fault = Fault.NO_NEW_FILE;
      assertThatThrownBy(() -> journal.appendDurably(AcceptJournalTest.frames("refused")))
          .hasMessage("No space left on device");
      assertThatThrownBy(() -> journal.appendDurably(AcceptJournalTest.frames("refused-again")))
          .hasMessage("No space left on device");
      fault = Fault.NONE;
      journal.appendDurably(AcceptJournalTest.frames("two"));

      assertThat(readAll(journal)).containsExactly("one", "two");
    }
    try (AcceptJournal reopened = open()) {
      assertThat(readAll(reopened)).containsExactly("one", "two");
    }
  }

  @Test
  void anAppendForcedAfterTheDiskTurnedReadOnlyIsNotAcknowledged() throws IOException {
    long durableBefore;
    try (AcceptJournal journal = open()) {
      journal.appendDurably(AcceptJournalTest.frames("one"));
      durableBefore = journal.durableEnd();
      fault = Fault.READ_ONLY;

      assertThatThrownBy(() -> journal.appendDurably(AcceptJournalTest.frames("never-on-disk")))
          .hasMessage("Read-only file system");
      assertThat(journal.durableEnd()).isEqualTo(durableBefore);
      assertThat(readAll(journal)).containsExactly("one");
      fault = Fault.NONE;
    }
  }

  private static List<String> readAll(AcceptJournal journal) throws IOException {
    List<String> read = new ArrayList<>();
    journal.read(
        0,
        journal.durableEnd(),
        Integer.MAX_VALUE,
        (position, payload) -> read.add(StandardCharsets.UTF_8.decode(payload).toString()));
    return read;
  }

  /** A file channel that fails as {@link #fault} says; everything else goes to the real one. */
  private final class FaultyChannel extends DelegatingChannel {
    FaultyChannel(FileChannel real) {
      super(real);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      if (fault == Fault.WRITE_HALF_THEN_FULL) {
        ByteBuffer half = source.duplicate();
        half.limit(half.position() + Math.max(1, half.remaining() / 2));
        super.write(half);
        throw new IOException("No space left on device");
      }
      return super.write(source);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (fault == Fault.FORCE_FAILS) {
        throw new IOException("Input/output error");
      }
      super.force(metaData);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      if (fault != Fault.NONE) {
        throw new IOException("No space left on device");
      }
      return super.truncate(size);
    }
  }
}

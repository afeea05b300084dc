package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceptJournalTest {
  private static final long LARGE_SEGMENTS = 1 << 20;

  @TempDir Path directory;

  @Test
  void readsBackWhatWasAppendedInOrder() throws IOException {
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      long first = journal.appendDurably(frames("one", "two"));
      long second = journal.appendDurably(frames("three"));

      assertThat(first).isEqualTo(2L * AcceptJournal.HEADER_BYTES + 6);
      assertThat(second).isEqualTo(journal.durableEnd()).isEqualTo(first + 8 + 5);
      List<String> read = new ArrayList<>();
      assertThat(journal.read(0, second, Integer.MAX_VALUE, collect(read))).isEqualTo(second);
      assertThat(read).containsExactly("one", "two", "three");
    }
  }

  @Test
  void oneJournalDirectoryServesOneOwnerAtATime() throws IOException {
    try (AcceptJournal owner = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      owner.appendDurably(frames("kept"));

      assertThatThrownBy(() -> AcceptJournal.open(directory, 0, LARGE_SEGMENTS))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("another relay process holds it");
      long end = owner.appendDurably(frames("still written"));
      List<String> read = new ArrayList<>();
      owner.read(0, end, Integer.MAX_VALUE, collect(read));
      assertThat(read).containsExactly("kept", "still written");
    }
    try (AcceptJournal next = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      List<String> read = new ArrayList<>();
      next.read(0, next.durableEnd(), Integer.MAX_VALUE, collect(read));
      assertThat(read).containsExactly("kept", "still written");
    }
  }

  @Test
  void readingStopsNearItsBudgetButAlwaysTakesOneRecord() throws IOException {
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      long end = journal.appendDurably(frames("a".repeat(100), "b", "c"));
      List<String> read = new ArrayList<>();

      long after = journal.read(0, end, 10, collect(read));

      assertThat(read).containsExactly("a".repeat(100));
      assertThat(journal.read(after, end, Integer.MAX_VALUE, collect(read))).isEqualTo(end);
      assertThat(read).containsExactly("a".repeat(100), "b", "c");
    }
  }

  @Test
  void aRecordLargerThanTheWriteAndReadBuffersRoundTrips() throws IOException {
    String large = "x".repeat(1_500_000) + "end";
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      long end = journal.appendDurably(frames("small", large, "after"));
      List<String> read = new ArrayList<>();

      assertThat(journal.read(0, end, Integer.MAX_VALUE, collect(read))).isEqualTo(end);

      assertThat(read).containsExactly("small", large, "after");
    }
  }

  @Test
  void rotatesSegmentsReadsAcrossThemAndDeletesThoseApplied() throws IOException {
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, 30)) {
      List<Long> ends = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ends.add(journal.appendDurably(frames("record-" + i + "-" + "x".repeat(20))));
      }
      assertThat(journal.segmentCount()).isEqualTo(6);
      List<String> read = new ArrayList<>();
      journal.read(0, journal.durableEnd(), Integer.MAX_VALUE, collect(read));
      assertThat(read).hasSize(6).first().asString().startsWith("record-0");

      journal.release(ends.get(2));

      assertThat(journal.segmentCount()).isEqualTo(3);
      assertThat(segmentFiles()).hasSize(3);
      read.clear();
      journal.read(ends.get(2), journal.durableEnd(), Integer.MAX_VALUE, collect(read));
      assertThat(read).hasSize(3).first().asString().startsWith("record-3");
    }
  }

  @Test
  void reopeningContinuesAfterTheLastRecord() throws IOException {
    long end;
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      end = journal.appendDurably(frames("before"));
    }
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      assertThat(journal.durableEnd()).isEqualTo(end);
      long after = journal.appendDurably(frames("after"));
      List<String> read = new ArrayList<>();
      journal.read(0, after, Integer.MAX_VALUE, collect(read));
      assertThat(read).containsExactly("before", "after");
    }
  }

  @Test
  void aTornRecordAtTheTailIsCutOffWhenReopened() throws IOException {
    long end;
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      end = journal.appendDurably(frames("kept-1", "kept-2"));
    }
    // A crash mid-append: a header announcing 100 bytes, and only 3 of them.
    ByteBuffer torn = ByteBuffer.allocate(11).putInt(100).putInt(0).put(new byte[] {1, 2, 3});
    Files.write(segmentFiles().getFirst(), torn.array(), StandardOpenOption.APPEND);

    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      assertThat(journal.durableEnd()).isEqualTo(end);
      assertThat(Files.size(segmentFiles().getFirst())).isEqualTo(end);
      long after = journal.appendDurably(frames("next"));
      List<String> read = new ArrayList<>();
      journal.read(0, after, Integer.MAX_VALUE, collect(read));
      assertThat(read).containsExactly("kept-1", "kept-2", "next");
    }
  }

  @Test
  void aRecordWhoseChecksumFailsIsCutOffWhenReopened() throws IOException {
    long firstEnd;
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      firstEnd = journal.appendDurably(frames("intact"));
      journal.appendDurably(frames("damaged"));
    }
    Path segment = segmentFiles().getFirst();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 0x55;
    Files.write(segment, bytes);

    try (AcceptJournal journal = AcceptJournal.open(directory, 0, LARGE_SEGMENTS)) {
      assertThat(journal.durableEnd()).isEqualTo(firstEnd);
      List<String> read = new ArrayList<>();
      journal.read(0, journal.durableEnd(), Integer.MAX_VALUE, collect(read));
      assertThat(read).containsExactly("intact");
    }
  }

  @Test
  void whenEverythingWasAppliedItStartsAfreshAtThatPosition() throws IOException {
    long end;
    try (AcceptJournal journal = AcceptJournal.open(directory, 0, 10)) {
      journal.appendDurably(frames("first-segment"));
      end = journal.appendDurably(frames("second-segment"));
    }

    try (AcceptJournal journal = AcceptJournal.open(directory, end, 10)) {
      assertThat(journal.durableEnd()).isEqualTo(end);
      assertThat(segmentFiles())
          .singleElement()
          .satisfies(file -> assertThat(file.getFileName()).hasToString("%020d.log", end));
    }
  }

  static List<ByteBuffer> frames(String... payloads) {
    List<ByteBuffer> records = new ArrayList<>();
    for (String payload : payloads) {
      byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
      ByteBuffer record = ByteBuffer.allocate(AcceptJournal.HEADER_BYTES + bytes.length);
      record.position(AcceptJournal.HEADER_BYTES);
      record.put(bytes);
      AcceptJournal.frame(record, 0);
      records.add(record.flip());
    }
    return records;
  }

  private static AcceptJournal.RecordReader collect(List<String> into) {
    return (position, payload) -> into.add(StandardCharsets.UTF_8.decode(payload).toString());
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.toString().endsWith(".log")).sorted().toList();
    }
  }
}

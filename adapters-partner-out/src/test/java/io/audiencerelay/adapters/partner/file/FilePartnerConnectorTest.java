package io.audiencerelay.adapters.partner.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.application.contract.PartnerConnectorContract;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.AudienceFacts;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DomainFixtures;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePartnerConnectorTest extends PartnerConnectorContract {
  static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path directory;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  final FilePartnerConnector connector = new FilePartnerConnector(clock);

  @Override
  protected PartnerConnector connector() {
    return connector;
  }

  @Override
  protected Destination destination() {
    return DomainFixtures.destination("files", "file", Map.of("directory", directory.toString()));
  }

  /** Reads the audience's current and rotated files back into changes. */
  @Override
  protected List<MembershipChange> receivedBy(PartnerAudience audience) {
    List<MembershipChange> changes = new ArrayList<>();
    for (JsonNode line : lines(audience)) {
      List<UserIdentifier> ids = new ArrayList<>();
      for (JsonNode id : line.get("identifiers")) {
        ids.add(new UserIdentifier.UserEmail(id.get("value").asText(), null));
      }
      changes.add(
          new MembershipChange(
              DomainFixtures.SEGMENT,
              line.get("op").asText().equals("add")
                  ? MembershipOperation.ADD
                  : MembershipOperation.REMOVE,
              ids,
              Instant.parse(line.get("observed_at").asText())));
    }
    return changes;
  }

  @Test
  void eachLineIsOneSelfDescribingJsonObject() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    var change =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.ADD,
            List.of(
                new UserIdentifier.UserEmail(
                    "5d41402abc4b2a76b9719d911017c592", "jane@example.com"),
                new UserIdentifier.DeviceTechnicalId("MOBILE_ADVERTISING_ID", "mob:1", "12")),
            DomainFixtures.T0);

    connector.deliver(
        destination(),
        audience,
        new MembershipBatch("b-7", DomainFixtures.SEGMENT, List.of(change)));

    assertThat(audience).isEqualTo(new PartnerAudience("6921_mics_84213", "mics_84213"));
    assertThat(lines(audience).getFirst())
        .isEqualTo(
            parse(
                """
                {"batch_id":"b-7","audience":"6921_mics_84213","feed_id":"6921","segment_id":"84213","op":"add",
                 "observed_at":"2026-11-23T10:00:00Z","delivered_at":"2026-11-23T10:00:00Z",
                 "identifiers":[{"type":"USER_EMAIL","value":"5d41402abc4b2a76b9719d911017c592"},
                                {"type":"MOBILE_ADVERTISING_ID","value":"mob:1"}]}
                """));
  }

  @Test
  void writesOneExactJsonLinePerChangeWithEscapedValues() throws IOException {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    MembershipChange quoted =
        new MembershipChange(
            DomainFixtures.SEGMENT,
            MembershipOperation.REMOVE,
            List.of(new UserIdentifier.ExternalUserId("MAPP_UUID", "a\"b")),
            DomainFixtures.T0);

    connector.deliver(
        destination(),
        audience,
        new MembershipBatch("b\"8", DomainFixtures.SEGMENT, List.of(quoted, quoted)));

    String line =
        "{\"batch_id\":\"b\\\"8\",\"audience\":\"6921_mics_84213\",\"feed_id\":\"6921\","
            + "\"segment_id\":\"84213\",\"op\":\"remove\",\"observed_at\":\"2026-11-23T10:00:00Z\","
            + "\"delivered_at\":\"2026-11-23T10:00:00Z\","
            + "\"identifiers\":[{\"type\":\"MAPP_UUID\",\"value\":\"a\\\"b\"}]}\n";
    assertThat(Files.readString(directory.resolve("6921_mics_84213.ndjson")))
        .isEqualTo(line + line);
  }

  @Test
  void eachLineKeepsItsOwnObservedTimeWhenTimesRepeatAndChange() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    List<Instant> times =
        List.of(
            DomainFixtures.T0,
            DomainFixtures.T0,
            DomainFixtures.T0.plusMillis(1500),
            DomainFixtures.T0);
    List<MembershipChange> changes = new ArrayList<>();
    for (Instant time : times) {
      changes.add(
          new MembershipChange(
              DomainFixtures.SEGMENT,
              MembershipOperation.ADD,
              List.of(new UserIdentifier.UserPoint("u" + changes.size())),
              time));
    }

    connector.deliver(
        destination(), audience, new MembershipBatch("b-9", DomainFixtures.SEGMENT, changes));

    assertThat(lines(audience))
        .extracting(line -> line.get("observed_at").asText())
        .containsExactly(
            "2026-11-23T10:00:00Z",
            "2026-11-23T10:00:00Z",
            "2026-11-23T10:00:01.500Z",
            "2026-11-23T10:00:00Z");
  }

  @Test
  void aBatchManyTimesTheWriteBufferArrivesWholeAndInOrder() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    List<MembershipChange> changes = new ArrayList<>();
    for (int i = 0; i < connector.maxBatchSize(destination()); i++) {
      changes.add(i % 5 == 0 ? DomainFixtures.remove("h" + i) : DomainFixtures.add("h" + i));
    }

    var outcome =
        connector.deliver(
            destination(), audience, new MembershipBatch("big", DomainFixtures.SEGMENT, changes));

    assertThat(outcome).isEqualTo(DeliveryOutcome.ok());
    assertThat(receivedBy(audience)).isEqualTo(changes);
  }

  @Test
  void aBatchCutShortByAFullDiskLeavesNoPartOfItInTheFile() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    List<MembershipChange> first = List.of(DomainFixtures.add("before"));
    connector.deliver(
        destination(), audience, new MembershipBatch("first", DomainFixtures.SEGMENT, first));
    // Takes the first buffer's worth of the next batch, then fails like a full disk.
    var fillsAfter64KiB =
        new FilePartnerConnector(
            clock,
            disk ->
                new FilterOutputStream(disk) {
                  long room = 64 * 1024;

                  @Override
                  public void write(byte[] bytes, int offset, int length) throws IOException {
                    if (length > room) {
                      throw new IOException("No space left on device");
                    }
                    room -= length;
                    out.write(bytes, offset, length);
                  }
                });
    List<MembershipChange> big = new ArrayList<>();
    for (int i = 0; i < connector.maxBatchSize(destination()); i++) {
      big.add(DomainFixtures.add("h" + i));
    }

    var outcome =
        fillsAfter64KiB.deliver(
            destination(), audience, new MembershipBatch("big", DomainFixtures.SEGMENT, big));

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(receivedBy(audience)).isEqualTo(first);
  }

  @Test
  void aDiskThatFillsMidBatchIsARetry() throws IOException {
    Path deviceFull = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.isWritable(deviceFull), "needs Linux's /dev/full");
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    Files.createSymbolicLink(directory.resolve(audience.id() + ".ndjson"), deviceFull);

    var outcome =
        connector.deliver(
            destination(),
            audience,
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"))));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            DeliveryOutcome.Retry.class,
            retry -> assertThat(retry.reason()).contains("No space left on device"));
  }

  @Test
  void aFullFileIsRotatedAndNothingIsLost() throws IOException {
    Destination small =
        DomainFixtures.destination(
            "files", "file", Map.of("directory", directory.toString(), "max_file_bytes", "1024"));
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);

    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofMillis(1));
      connector.deliver(
          small,
          audience,
          new MembershipBatch(
              "b" + i, DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h" + i))));
    }

    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files.count()).isGreaterThan(1);
    }
    assertThat(receivedBy(audience)).hasSize(20);
  }

  @Test
  void anUnwritableDirectoryIsARetryNotALoss() throws IOException {
    Path blocker = Files.writeString(directory.resolve("not-a-directory"), "x");
    Destination broken =
        DomainFixtures.destination(
            "files", "file", Map.of("directory", blocker.resolve("sub").toString()));

    var outcome =
        connector.deliver(
            broken,
            new PartnerAudience("a", "a"),
            new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"))));

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
  }

  @Test
  void settingsAreCheckedWithClearMessages() {
    assertThat(connector.checkSettings(DomainFixtures.destination("f", "file", Map.of())))
        .containsExactly("directory is required (where the .ndjson files are written)");
    assertThat(
            connector.checkSettings(
                DomainFixtures.destination(
                    "f", "file", Map.of("directory", "x", "max_file_bytes", "big"))))
        .containsExactly("max_file_bytes must be a whole number of bytes, got 'big'");
  }

  @Test
  void troubleshootShowsTheFile() {
    PartnerAudience audience = ready(DomainFixtures.SEGMENT);
    connector.deliver(
        destination(),
        audience,
        new MembershipBatch("b", DomainFixtures.SEGMENT, List.of(DomainFixtures.add("h"))));

    var found =
        ((PartnerAnswer.Given<AudienceFacts>)
                connector.describeAudience(
                    destination(), DomainFixtures.SEGMENT, Optional.of(audience)))
            .value();

    assertThat(found.data()).containsEntry("file", "6921_mics_84213.ndjson");
    assertThat((Long) found.data().get("file_bytes")).isPositive();
  }

  private List<JsonNode> lines(PartnerAudience audience) {
    List<JsonNode> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      // Rotated files carry a millisecond timestamp, so name order is write order; the live file
      // comes last.
      List<Path> ordered =
          files
              .filter(p -> p.getFileName().toString().startsWith(audience.id()))
              .sorted(
                  (a, b) -> {
                    boolean aLive = a.getFileName().toString().equals(audience.id() + ".ndjson");
                    boolean bLive = b.getFileName().toString().equals(audience.id() + ".ndjson");
                    return aLive != bLive ? (aLive ? 1 : -1) : a.compareTo(b);
                  })
              .toList();
      for (Path file : ordered) {
        for (String line : Files.readAllLines(file)) {
          lines.add(parse(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

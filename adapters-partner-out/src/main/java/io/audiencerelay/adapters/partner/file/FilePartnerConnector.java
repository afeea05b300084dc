package io.audiencerelay.adapters.partner.file;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.audiencerelay.application.port.out.AudienceFacts;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Writes each audience's changes as newline-delimited JSON, one line per change, to {@code
 * <directory>/<audience>.ndjson}, synced to disk before a batch counts as delivered. When a file
 * passes {@code max_file_bytes} it is renamed with a timestamp and a new one begins. For offline
 * hand-off and the demo.
 */
public final class FilePartnerConnector implements PartnerConnector {
  public static final String TYPE = "file";
  static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.-]");
  private static final Duration RETRY_AFTER_IO_ERROR = Duration.ofSeconds(5);
  private static final int WRITE_BUFFER_BYTES = 64 * 1024;

  private final Clock clock;
  private final JsonFactory json = new JsonFactory();
  // A fixed set of locks, a file's by its name's hash: one writer per file, and no lock kept per
  // segment a request names.
  private static final int FILE_LOCKS = 64;
  private final Object[] fileLocks = new Object[FILE_LOCKS];
  private final UnaryOperator<OutputStream> toDisk;

  public FilePartnerConnector(Clock clock) {
    this(clock, UnaryOperator.identity());
  }

  /**
   * @param toDisk wraps the stream that appends to an audience file: a test puts a disk that fills
   *     halfway through a batch there
   */
  FilePartnerConnector(Clock clock, UnaryOperator<OutputStream> toDisk) {
    this.clock = clock;
    this.toDisk = toDisk;
    for (int i = 0; i < FILE_LOCKS; i++) {
      fileLocks[i] = new Object();
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> problems = new ArrayList<>();
    if (destination.setting("directory").isEmpty()) {
      problems.add("directory is required (where the .ndjson files are written)");
    }
    Optional<String> max = destination.setting("max_file_bytes");
    if (max.isPresent()) {
      try {
        if (Long.parseLong(max.get()) < 1024) {
          problems.add("max_file_bytes must be at least 1024");
        }
      } catch (NumberFormatException e) {
        problems.add("max_file_bytes must be a whole number of bytes, got '" + max.get() + "'");
      }
    }
    return problems;
  }

  /**
   * A thousand lines per append: one lock and one {@code force} each is already cheap at tens of
   * thousands of changes a second, and a larger batch only keeps changes queued in memory longer,
   * where the collector copies them (docs/PERFORMANCE.md).
   */
  @Override
  public int maxBatchSize(Destination destination) {
    return 1_000;
  }

  /** The audience is the segment's file; creating it twice finds the same file. */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = segment.defaultAudienceName();
    String id = UNSAFE.matcher(segment.feedId().value() + "_" + name).replaceAll("_");
    try {
      Files.createDirectories(directory(destination));
    } catch (IOException e) {
      return new AudienceOutcome.Retry(
          RETRY_AFTER_IO_ERROR,
          "cannot create directory " + directory(destination) + ": " + e.getMessage());
    }
    return new AudienceOutcome.Ready(new PartnerAudience(id, name));
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    Path file =
        directory(destination).resolve(UNSAFE.matcher(audience.id()).replaceAll("_") + ".ndjson");
    synchronized (fileLocks[Math.floorMod(file.hashCode(), FILE_LOCKS)]) {
      try {
        Files.createDirectories(file.getParent());
        rotateIfFull(file, maxFileBytes(destination));
        try (FileChannel channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
          // Streamed through a fixed buffer: a batch held whole in memory would be an array grown
          // and copied per batch (about 250 KB at 1,000 lines; humongous to the GC at 10,000).
          long before = channel.size();
          try {
            OutputStream out =
                new BufferedOutputStream(
                    toDisk.apply(Channels.newOutputStream(channel)), WRITE_BUFFER_BYTES);
            writeLines(audience, batch, out);
            out.flush();
            channel.force(false);
          } catch (IOException e) {
            // No torn line before the retry appends the batch again.
            try {
              channel.truncate(before);
            } catch (IOException notTruncated) {
              e.addSuppressed(notTruncated);
            }
            throw e;
          }
        }
        return DeliveryOutcome.ok();
      } catch (IOException e) {
        return new DeliveryOutcome.Retry(
            RETRY_AFTER_IO_ERROR, "cannot write " + file + ": " + e.getMessage());
      }
    }
  }

  @Override
  public PartnerAnswer<AudienceFacts> describeAudience(
      Destination destination, ExternalSegment segment, Optional<PartnerAudience> audience) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("directory", directory(destination).toAbsolutePath().toString());
    audience.ifPresent(
        a -> {
          Path file =
              directory(destination).resolve(UNSAFE.matcher(a.id()).replaceAll("_") + ".ndjson");
          data.put("file", file.getFileName().toString());
          try {
            data.put("file_bytes", Files.exists(file) ? Files.size(file) : 0L);
          } catch (IOException e) {
            data.put("file_error", e.getMessage());
          }
        });
    return PartnerAnswer.given(new AudienceFacts("Audience file", data));
  }

  /** One JSON line per change; a failed write surfaces as the stream's IOException. */
  private void writeLines(PartnerAudience audience, MembershipBatch batch, OutputStream out)
      throws IOException {
    String deliveredAt = clock.instant().toString();
    // One generator for the batch: each line is a root value, separated by a newline. The caller
    // flushes, forces and closes the channel.
    try (JsonGenerator line =
        json.createGenerator(out, JsonEncoding.UTF8)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
      line.setRootValueSeparator(new SerializedString("\n"));
      // A batch is one segment: the fields every line shares are escaped once.
      SerializedString prefix = linePrefix(batch.id(), audience.id(), batch.segment());
      SerializedString delivered =
          new SerializedString(",\"delivered_at\":\"" + deliveredAt + "\"");
      // Changes accepted together share their time: format it once per run of equal times.
      Instant observed = null;
      String observedText = null;
      for (MembershipChange change : batch.changes()) {
        if (!change.observedAt().equals(observed)) {
          observed = change.observedAt();
          observedText = observed.toString();
        }
        line.writeStartObject();
        // The prefix ends with a comma, so the generator writes the next field as if it were the
        // first.
        line.writeRaw(prefix);
        line.writeStringField("op", change.operation().wireName());
        line.writeStringField("observed_at", observedText);
        line.writeRaw(delivered);
        line.writeArrayFieldStart("identifiers");
        for (UserIdentifier identifier : change.identifiers()) {
          line.writeStartObject();
          line.writeStringField("type", identifier.type());
          line.writeStringField("value", identifier.value());
          line.writeEndObject();
        }
        line.writeEndArray();
        line.writeEndObject();
      }
      line.writeRaw('\n');
    }
  }

  /** {@code "batch_id":..,"audience":..,"feed_id":..,"segment_id":..,} escaped by Jackson. */
  private SerializedString linePrefix(String batchId, String audienceId, ExternalSegment segment)
      throws IOException {
    java.io.StringWriter text = new java.io.StringWriter();
    try (JsonGenerator fields = json.createGenerator(text)) {
      fields.writeStartObject();
      fields.writeStringField("batch_id", batchId);
      fields.writeStringField("audience", audienceId);
      fields.writeStringField("feed_id", segment.feedId().value());
      fields.writeStringField("segment_id", segment.segmentId().value());
      fields.writeEndObject();
    }
    String object = text.toString();
    return new SerializedString(object.substring(1, object.length() - 1) + ",");
  }

  private void rotateIfFull(Path file, long maxBytes) throws IOException {
    if (Files.exists(file) && Files.size(file) >= maxBytes) {
      String rotated =
          file.getFileName().toString().replace(".ndjson", "") + "." + clock.millis() + ".ndjson";
      Files.move(file, file.resolveSibling(rotated), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static Path directory(Destination destination) {
    return Path.of(destination.setting("directory").orElseThrow());
  }

  private static long maxFileBytes(Destination destination) {
    return destination
        .setting("max_file_bytes")
        .map(Long::parseLong)
        .orElse(DEFAULT_MAX_FILE_BYTES);
  }
}

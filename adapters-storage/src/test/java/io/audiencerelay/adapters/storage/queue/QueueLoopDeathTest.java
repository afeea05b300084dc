package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.application.fakes.MutableClock;
import io.audiencerelay.application.port.out.DeliveryQueue.EnqueueOutcome;
import io.audiencerelay.domain.DomainFixtures;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer thread that dies of an error no group could handle (out of memory, say) is not a zombie:
 * the queue says which part stopped, so the relay's status fails, and every update is answered
 * "retry" at once instead of after the watchdog's 30 s.
 */
class QueueLoopDeathTest {
  @TempDir Path directory;

  @Test
  void aDeadWriterIsReportedAndEveryEnqueueIsARetry() throws IOException {
    boolean[] dying = {false};
    try (Database database = Database.sqlite(directory.resolve("relay.db"));
        JdbcDeliveryQueue queue =
            new JdbcDeliveryQueue(
                database,
                new MutableClock(DomainFixtures.T0),
                1_000,
                Duration.ofSeconds(1),
                1_000,
                (file, options) -> {
                  FileChannel real = FileChannel.open(file, options);
                  return new DelegatingChannel(real) {
                    @Override
                    public int write(java.nio.ByteBuffer source) throws IOException {
                      if (dying[0]) {
                        throw new OutOfMemoryError("Java heap space (simulated)");
                      }
                      return super.write(source);
                    }
                  };
                })) {
      assertThat(queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("h1"))))
          .isEqualTo(new EnqueueOutcome.Accepted());
      assertThat(queue.stoppedParts()).isEmpty();

      dying[0] = true;
      long started = System.nanoTime();
      var during = queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("h2")));
      var after = queue.enqueue(DomainFixtures.DEMO, List.of(DomainFixtures.add("h3")));

      assertThat(during).isInstanceOf(EnqueueOutcome.Retry.class);
      assertThat(after).isInstanceOf(EnqueueOutcome.Retry.class);
      assertThat(((EnqueueOutcome.Retry) after).reason()).contains("the queue writer");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("answered at once, not after the watchdog's bound")
          .isLessThan(Duration.ofSeconds(25));
      assertThat(queue.stoppedParts())
          .containsExactly(
              "the queue writer stopped: OutOfMemoryError: Java heap space (simulated)");
    }
  }
}

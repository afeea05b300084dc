package io.audiencerelay.adapters.http.in.feed;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.BadRequestException;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.RequestBodies;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The feed's update bodies, single and file form, as the routes read them: any input becomes a
 * command or one of the client errors the routes answer 4xx; anything else thrown would be a 500,
 * and fails the target. Seeds are in {@code FeedBodiesFuzzTestInputs/}; each crash found is kept
 * there as a regression input.
 */
class FeedBodiesFuzzTest {
  static final UpdateBodies BODIES = new UpdateBodies(new JsonBodies(new ObjectMapper()));

  @FuzzTest(maxDuration = "20s")
  void anUpdateBodyBecomesACommandOrAClientError(byte[] body) {
    try {
      FeedWire.updateCommand(BODIES.readUpdate(body));
    } catch (BadRequestException | IllegalArgumentException | RequestBodies.BodyException refused) {
      // A 400 or 413 naming the problem.
    }
  }

  @FuzzTest(maxDuration = "20s")
  void aFileOfUpdatesIsReadLineByLineWhateverItHolds(byte[] body) throws IOException {
    BodyLines lines = new BodyLines(new ByteArrayInputStream(body));
    BodyLines.Line line;
    while ((line = lines.next()) != null) {
      if (line.error() != null || line.text().isBlank()) {
        continue;
      }
      try {
        FeedWire.updateCommand(BODIES.readUpdateLine(line.text()));
      } catch (IOException | BadRequestException | IllegalArgumentException refused) {
        // Counted as the line's error.
      }
    }
  }
}

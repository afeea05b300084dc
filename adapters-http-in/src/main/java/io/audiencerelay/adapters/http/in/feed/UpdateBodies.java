package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.JsonBodies;
import java.io.IOException;

/**
 * The single update's body, the hot one: read by the streaming reader when it can, else bound by
 * the protocol's mapper, whose results and messages it matches.
 */
final class UpdateBodies {
  private final JsonBodies json;
  private final UserSegmentUpdateReader updates;

  UpdateBodies(JsonBodies json) {
    this.json = json;
    this.updates = new UserSegmentUpdateReader(json.mapper().getFactory());
  }

  WireRequests.UserSegmentUpdateRequest readUpdate(byte[] body) {
    JsonBodies.requireObject(body);
    return updates
        .read(body)
        .orElseGet(() -> json.read(body, WireRequests.UserSegmentUpdateRequest.class));
  }

  /**
   * One line of the file form: as {@link #readUpdate(byte[])}, but a line the mapper cannot read
   * throws its own exception, for the line's error.
   */
  WireRequests.UserSegmentUpdateRequest readUpdateLine(String line) throws IOException {
    String notAnObject = JsonBodies.notAnObject(line.strip());
    if (notAnObject != null) {
      throw new IllegalArgumentException("The line must be a JSON object, not " + notAnObject);
    }
    var fast = updates.read(line);
    return fast.isPresent()
        ? fast.get()
        : json.mapper().readValue(line, WireRequests.UserSegmentUpdateRequest.class);
  }
}

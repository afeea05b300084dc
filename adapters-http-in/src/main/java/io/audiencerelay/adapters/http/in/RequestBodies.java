package io.audiencerelay.adapters.http.in;

import io.helidon.webserver.http.ServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/** Reads a request body whole, sized by its declared length when it has one. */
final class RequestBodies {
  private static final byte[] NO_BODY = new byte[0];

  private RequestBodies() {}

  /**
   * The whole body, or an empty array when there is none. {@code readAllBytes} starts every body
   * with a 16 KB buffer; on the accept path that was the largest allocation per request, so a
   * declared length is read into an array of exactly that size. Bytes beyond the declared length (a
   * decoded body can be longer) are still read.
   */
  static byte[] whole(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return NO_BODY;
    }
    OptionalLong declared = req.headers().contentLength();
    try (InputStream in = req.content().inputStream()) {
      if (declared.isEmpty() || declared.getAsLong() > Integer.MAX_VALUE - 16) {
        return in.readAllBytes();
      }
      byte[] head = in.readNBytes((int) declared.getAsLong());
      int next = in.read();
      if (next < 0) {
        return head;
      }
      ByteArrayOutputStream whole = new ByteArrayOutputStream(head.length * 2 + 1);
      whole.write(head);
      whole.write(next);
      in.transferTo(whole);
      return whole.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.audiencerelay.adapters.http.in;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.zip.ZipException;

/**
 * Reads request bodies: whole, or as a bounded stream. The size limit applies to the bytes as the
 * routes see them, after any {@code Content-Encoding} is undone ({@link RequestDecoding}), so a
 * small compressed body cannot grow past it. A whole body must be valid UTF-8.
 */
public final class RequestBodies {
  private static final byte[] NO_BODY = new byte[0];
  private static final int FIRST_CHUNK = 8 * 1024;
  private static final long STREAM_SHARE = 2L << 20;

  /** The request's share of the budget, from its context; a request without one is not bounded. */
  private static BodyBudget.Share shareOf(ServerRequest req) {
    return req.context()
        .get(BodyBudget.Share.class)
        .orElseGet(() -> new BodyBudget(Long.MAX_VALUE).share());
  }

  private RequestBodies() {}

  /**
   * A body that cannot be used as sent: the status and message of its answer ({@code 400}, {@code
   * 413} or {@code 415}). Each route answers it in its own error shape.
   */
  public static final class BodyException extends RuntimeException {
    private final Status status;

    BodyException(Status status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public Status status() {
      return status;
    }
  }

  public static BodyException tooLarge(long maxBytes) {
    return new BodyException(
        Status.REQUEST_ENTITY_TOO_LARGE_413, "Request body larger than " + maxBytes + " bytes");
  }

  /**
   * The whole body, or an empty array when there is none. A declared length (of a body sent as is)
   * is read into an array of exactly that size: {@code readAllBytes} starts every body with a 16 KB
   * buffer, the largest allocation per request on the accept path.
   *
   * @throws BodyException when the body is larger than {@code maxBytes}, cannot be decoded, or is
   *     not valid UTF-8
   */
  public static byte[] whole(ServerRequest req, long maxBytes) {
    if (!req.content().hasEntity()) {
      return NO_BODY;
    }
    OptionalLong declared = req.headers().contentLength();
    boolean encoded = req.headers().contains(HeaderNames.CONTENT_ENCODING);
    BodyBudget.Share share = shareOf(req);
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      if (!encoded && declared.isPresent() && declared.getAsLong() <= maxBytes) {
        share.take(declared.getAsLong());
        body = in.readNBytes((int) declared.getAsLong());
        int next = in.read();
        if (next >= 0) {
          // More than declared: read the rest within the bound.
          byte[] grown = Arrays.copyOf(body, Math.max(body.length * 2, FIRST_CHUNK));
          share.take(grown.length);
          grown[body.length] = (byte) next;
          body = readBounded(in, grown, body.length + 1, maxBytes, share);
        }
      } else {
        share.take(FIRST_CHUNK);
        body = readBounded(in, new byte[FIRST_CHUNK], 0, maxBytes, share);
      }
    } catch (IOException | UncheckedIOException | HttpException e) {
      throw unreadable(req, e, maxBytes);
    }
    int invalid = Utf8.firstInvalid(body);
    if (invalid >= 0) {
      throw notUtf8(body[invalid], invalid);
    }
    return body;
  }

  /**
   * The body as a stream that fails with a {@code 413} {@link BodyException} past {@code maxBytes};
   * decoding failures surface from its reads as {@link BodyException} too.
   */
  public static InputStream stream(ServerRequest req, long maxBytes) {
    // A stream holds its reader's buffer and one chunk of parsed lines: a fixed share.
    shareOf(req).take(STREAM_SHARE);
    InputStream in = req.content().inputStream();
    return new InputStream() {
      private long read;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] into, int offset, int length) {
        int n;
        try {
          n = in.read(into, offset, length);
        } catch (IOException | UncheckedIOException | HttpException e) {
          throw unreadable(req, e, maxBytes);
        }
        if (n > 0) {
          read += n;
          if (read > maxBytes) {
            throw tooLarge(maxBytes);
          }
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  public static BodyException notUtf8(byte value, long offset) {
    return new BodyException(
        Status.BAD_REQUEST_400,
        String.format(
            "The body is not valid UTF-8: byte 0x%02X at offset %d does not belong to a character",
            value & 0xff, offset));
  }

  /**
   * Reads the rest of {@code in} after {@code length} bytes already in {@code buffer}, growing it,
   * and refuses to hold more than {@code maxBytes}.
   */
  private static byte[] readBounded(
      InputStream in, byte[] buffer, int length, long maxBytes, BodyBudget.Share share)
      throws IOException {
    if (length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    while (true) {
      if (length == buffer.length) {
        long grown = Math.min(Math.max(buffer.length * 2L, FIRST_CHUNK), maxBytes + 1);
        if (grown <= length) {
          throw tooLarge(maxBytes);
        }
        share.take(Math.min(grown, Integer.MAX_VALUE - 16) - buffer.length);
        buffer = Arrays.copyOf(buffer, (int) Math.min(grown, Integer.MAX_VALUE - 16));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
      }
      length += n;
      if (length > maxBytes) {
        throw tooLarge(maxBytes);
      }
    }
  }

  private static BodyException unreadable(ServerRequest req, Exception e, long maxBytes) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyException body) {
        return body;
      }
      if (cause instanceof HttpException http
          && http.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
        // The server's own bound on decoded bytes, which is the same limit.
        return tooLarge(maxBytes);
      }
      if (cause instanceof ZipException || cause instanceof java.io.EOFException) {
        String encoding = req.headers().first(HeaderNames.CONTENT_ENCODING).orElse("encoded");
        return new BodyException(
            Status.BAD_REQUEST_400,
            "The body is not valid " + encoding.strip() + " data: " + cause.getMessage());
      }
    }
    return new BodyException(
        Status.BAD_REQUEST_400, "The body could not be read: " + e.getClass().getSimpleName());
  }
}

package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a body read as a stream, each checked to be UTF-8 on its own: a JDK reader would
 * replace bad bytes silently, and one bad line must not cost the file's other lines.
 */
final class BodyLines {
  /**
   * One line, without its terminator ({@code \n} or {@code \r\n}).
   *
   * @param text the line, or null when it is not valid UTF-8
   * @param error why the line cannot be read, or null
   */
  record Line(String text, String error) {}

  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  private boolean finished;

  BodyLines(InputStream in) {
    this.in = in;
  }

  /** The next line, or null at the end of the body. */
  Line next() throws IOException {
    byte[] line = null; // the part of a long line already read, when it spans buffers
    int lineLength = 0;
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          Line found = line(line, lineLength, buffer, start, i);
          start = i + 1;
          return found;
        }
      }
      // No terminator in what is buffered: keep it and read on.
      int pending = end - start;
      if (pending > 0) {
        if (line == null) {
          line = new byte[Math.max(pending * 2, 256)];
        } else if (lineLength + pending > line.length) {
          line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + pending));
        }
        System.arraycopy(buffer, start, line, lineLength, pending);
        lineLength += pending;
      }
      start = 0;
      end = 0;
      if (finished) {
        return line == null ? null : line(line, lineLength, buffer, 0, 0);
      }
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
        finished = true;
      } else {
        end = n;
      }
    }
  }

  /** The line made of {@code head[0, headLength)} then {@code tail[from, to)}. */
  private static Line line(byte[] head, int headLength, byte[] tail, int from, int to) {
    byte[] bytes;
    int length;
    if (head == null) {
      bytes = tail;
      length = to;
    } else {
      bytes = Arrays.copyOf(head, headLength + (to - from));
      System.arraycopy(tail, from, bytes, headLength, to - from);
      from = 0;
      length = bytes.length;
    }
    if (length > from && bytes[length - 1] == '\r') {
      length--;
    }
    int invalid = Utf8.firstInvalid(bytes, from, length);
    if (invalid >= 0) {
      return new Line(
          null,
          String.format(
              "Not valid UTF-8: byte 0x%02X at column %d does not belong to a character",
              bytes[invalid] & 0xff, invalid - from + 1));
    }
    return new Line(new String(bytes, from, length - from, StandardCharsets.UTF_8), null);
  }
}

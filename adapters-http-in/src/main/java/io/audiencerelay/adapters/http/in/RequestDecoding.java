package io.audiencerelay.adapters.http.in;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.ContentEncodingContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} or {@code deflate}, as the SDK's body
 * parser takes them. Only requests are decoded: answers are small and sent as they are. The size
 * limit applies to the decoded bytes ({@link RequestBodies}); an encoding not listed here is
 * answered 415 by the server's transport handler.
 */
public final class RequestDecoding {
  static final String SUPPORTED = "gzip, deflate or identity";
  private static final Set<String> IDS =
      Set.of("gzip", "x-gzip", "GZIP", "deflate", "DEFLATE", "identity");

  private RequestDecoding() {}

  /**
   * Whether a request's {@code Content-Encoding} is one the server refuses (with a 400 of its own).
   */
  static boolean unsupported(java.util.Optional<String> contentEncoding) {
    return contentEncoding.isPresent() && !IDS.contains(contentEncoding.get());
  }

  static ContentEncodingContext context() {
    return ContentEncodingContext.builder()
        .contentEncodingsDiscoverServices(false)
        .addContentEncoding(new Decoding("gzip", Set.of("gzip", "x-gzip", "GZIP"), Gzip::new))
        .addContentEncoding(new Decoding("deflate", Set.of("deflate", "DEFLATE"), Deflate::new))
        .addContentEncoding(new Decoding("identity", Set.of("identity"), in -> in))
        .build();
  }

  /** An encoding the relay can undo, and never applies. */
  private record Decoding(String name, Set<String> ids, ContentDecoder decoder)
      implements ContentEncoding {
    @Override
    public String type() {
      return name;
    }

    @Override
    public boolean supportsEncoding() {
      return false;
    }

    @Override
    public boolean supportsDecoding() {
      return true;
    }

    @Override
    public ContentEncoder encoder() {
      return ContentEncoder.NO_OP;
    }
  }

  /**
   * Decodes lazily: the header of the compressed stream is read at the first read, on the route's
   * thread, so a broken one is the route's error (a 400), not the connection's.
   */
  private abstract static class Lazy extends InputStream {
    private final InputStream raw;
    private InputStream decoded;

    Lazy(InputStream raw) {
      this.raw = raw;
    }

    abstract InputStream open(InputStream raw) throws IOException;

    private InputStream decoded() throws IOException {
      if (decoded == null) {
        decoded = open(raw);
      }
      return decoded;
    }

    @Override
    public int read() throws IOException {
      return decoded().read();
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      return decoded().read(into, offset, length);
    }

    @Override
    public void close() throws IOException {
      if (decoded != null) {
        decoded.close();
      } else {
        raw.close();
      }
    }
  }

  private static final class Gzip extends Lazy {
    Gzip(InputStream raw) {
      super(raw);
    }

    @Override
    InputStream open(InputStream raw) throws IOException {
      return new GZIPInputStream(raw, 8192);
    }
  }

  /**
   * HTTP's deflate is the zlib format (RFC 1950); some clients send raw deflate (RFC 1951), which
   * is told apart by its first byte, as browsers and Node's zlib do.
   */
  private static final class Deflate extends Lazy {
    Deflate(InputStream raw) {
      super(raw);
    }

    @Override
    InputStream open(InputStream raw) throws IOException {
      BufferedInputStream buffered = new BufferedInputStream(raw, 8192);
      buffered.mark(2);
      int first = buffered.read();
      int second = buffered.read();
      buffered.reset();
      boolean zlib =
          first >= 0 && second >= 0 && (first & 0x0f) == 8 && ((first << 8) | second) % 31 == 0;
      Inflater inflater = new Inflater(!zlib);
      return new InflaterInputStream(buffered, inflater, 8192) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            inflater.end(); // its native memory: a given Inflater is not ended by close()
          }
        }
      };
    }
  }
}

package io.audiencerelay.adapters.http.in;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
 * Jackson and the JDK's decoders replace or tolerate some bad sequences, so a body is checked once,
 * as bytes, before anything reads it: a request either is text or is refused.
 */
public final class Utf8 {
  private Utf8() {}

  /** The offset of the first byte that does not belong to valid UTF-8, or -1 when all do. */
  public static int firstInvalid(byte[] bytes) {
    return firstInvalid(bytes, 0, bytes.length);
  }

  /** As {@link #firstInvalid(byte[])}, for {@code bytes[from, to)}. */
  public static int firstInvalid(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i];
      if (b >= 0) { // ASCII, the common case
        i++;
        continue;
      }
      int lead = b & 0xff;
      int length;
      int min; // the smallest valid second byte
      int max; // the largest valid second byte
      if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        min = 0x80;
        max = 0xbf;
      } else if (lead == 0xe0) {
        length = 3;
        min = 0xa0; // below: overlong
        max = 0xbf;
      } else if (lead == 0xed) {
        length = 3;
        min = 0x80;
        max = 0x9f; // above: surrogates
      } else if (lead >= 0xe1 && lead <= 0xef) {
        length = 3;
        min = 0x80;
        max = 0xbf;
      } else if (lead == 0xf0) {
        length = 4;
        min = 0x90; // below: overlong
        max = 0xbf;
      } else if (lead >= 0xf1 && lead <= 0xf3) {
        length = 4;
        min = 0x80;
        max = 0xbf;
      } else if (lead == 0xf4) {
        length = 4;
        min = 0x80;
        max = 0x8f; // above: beyond U+10FFFF
      } else {
        return i; // a continuation byte without a lead, an overlong lead (C0, C1), or F5..FF
      }
      if (i + 1 >= to) {
        return i;
      }
      int second = bytes[i + 1] & 0xff;
      if (second < min || second > max) {
        return i;
      }
      for (int k = 2; k < length; k++) {
        if (i + k >= to || (bytes[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      i += length;
    }
    return -1;
  }
}

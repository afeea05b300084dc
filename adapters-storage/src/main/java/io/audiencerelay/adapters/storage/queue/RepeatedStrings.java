package io.audiencerelay.adapters.storage.queue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the UTF-8 bytes of short column values that repeat from record to record (destination,
 * feed, segment, datamart, operation) into one shared {@code String} each. Changes wait in the fast
 * lane for up to a second, long enough to live through a young collection or two: without sharing,
 * each carried its own copies of these five values, ten objects the collector copied every time.
 *
 * <p>A small direct-mapped table: a value that collides replaces the older one, so memory stays
 * bounded whatever the feeds send. One thread (the ingester) uses an instance.
 */
final class RepeatedStrings {
  private static final int SLOTS = 1024; // a power of two

  /** Longer values are not worth a lookup: column ids are short, identifiers are not shared. */
  static final int MAX_SHARED_BYTES = 64;

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] values = new String[SLOTS];

  String decode(byte[] array, int offset, int length) {
    if (length > MAX_SHARED_BYTES) {
      return new String(array, offset, length, StandardCharsets.UTF_8);
    }
    int hash = length;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + array[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    byte[] key = keys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, array, offset, offset + length)) {
      return values[slot];
    }
    String value = new String(array, offset, length, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(array, offset, offset + length);
    values[slot] = value;
    return value;
  }
}

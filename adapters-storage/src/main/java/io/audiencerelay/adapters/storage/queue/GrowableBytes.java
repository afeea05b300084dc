package io.audiencerelay.adapters.storage.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A byte array that grows as it is written, big-endian like {@link java.nio.ByteBuffer}'s default.
 * Accept-path encoders write into it directly, so a value is not first built as a {@code String}
 * and then converted.
 */
final class GrowableBytes {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int size;

  GrowableBytes(int expectedBytes) {
    bytes = new byte[Math.max(16, expectedBytes)];
  }

  /** The backing array; valid up to {@link #size()}, and only until the next write. */
  byte[] array() {
    return bytes;
  }

  int size() {
    return size;
  }

  /** Moves the end, after writing straight into {@link #array()} (which {@link #ensure} sized). */
  void size(int newSize) {
    size = newSize;
  }

  /** Makes room for {@code more} bytes after the end. */
  void ensure(int more) {
    if (bytes.length - size < more) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void put(byte value) {
    ensure(1);
    bytes[size++] = value;
  }

  void put(byte[] value) {
    ensure(value.length);
    System.arraycopy(value, 0, bytes, size, value.length);
    size += value.length;
  }

  void putInt(int value) {
    ensure(4);
    INT.set(bytes, size, value);
    size += 4;
  }

  /**
   * Writes {@code value} at {@code at}, inside what is already written (a length filled in later).
   */
  void putInt(int at, int value) {
    INT.set(bytes, at, value);
  }

  void putLong(long value) {
    ensure(8);
    LONG.set(bytes, size, value);
    size += 8;
  }
}

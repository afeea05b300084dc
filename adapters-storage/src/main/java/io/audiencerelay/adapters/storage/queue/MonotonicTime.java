package io.audiencerelay.adapters.storage.queue;

import java.util.concurrent.locks.LockSupport;

/**
 * The queue's elapsed time and timed waits, injected so that a test can drive them: the wall clock
 * ({@link java.time.Clock}) stamps what is stored, this measures durations and paces the loops.
 */
interface MonotonicTime {
  /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime}. */
  long nanoTime();

  /** Parks the calling thread for up to {@code nanos}, or until it is unparked. */
  void park(Object blocker, long nanos);

  MonotonicTime SYSTEM =
      new MonotonicTime() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void park(Object blocker, long nanos) {
          LockSupport.parkNanos(blocker, nanos);
        }
      };
}

package io.audiencerelay.adapters.http.in;

import io.helidon.http.Status;

/**
 * The bytes of request bodies the relay holds at once, across requests. Each request takes its
 * share before it reads its body (all of it when it declares its length, chunk by chunk when it
 * does not) and gives it back when its answer is sent. A request that would go past the bound is
 * answered "retry later" before its body is read: a burst of large bodies slows the platform down
 * instead of exhausting the heap.
 */
public final class BodyBudget {
  static final String BUSY =
      "The relay is reading too many large bodies at once: send this one again shortly";

  private final long capacity;
  private long taken; // guarded by this

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** One request's share, given back once, when the request ends. */
  final class Share {
    private long bytes; // guarded by BodyBudget.this

    /**
     * Takes {@code more} bytes for this request.
     *
     * @throws RequestBodies.BodyException a 429 when the budget has no room
     */
    void take(long more) {
      synchronized (BodyBudget.this) {
        if (taken + more > capacity) {
          throw new RequestBodies.BodyException(Status.TOO_MANY_REQUESTS_429, BUSY);
        }
        taken += more;
        bytes += more;
      }
    }

    void giveBack() {
      synchronized (BodyBudget.this) {
        taken -= bytes;
        bytes = 0;
      }
    }
  }

  Share share() {
    return new Share();
  }

  /** Bytes taken now, for tests. */
  synchronized long taken() {
    return taken;
  }
}

package io.audiencerelay.adapters.partner.linkedin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LinkedIn's per-member limit on the DMP streaming calls: at most {@code limit} calls on behalf of
 * one member in any minute, whichever destinations they come from. A member who hit a 429 is paused
 * for the time LinkedIn asked (the whole window when it did not say). Kept in this process: relays
 * sharing a member each count their own calls, and a 429 then paces them.
 */
final class MemberQuota {
  static final Duration WINDOW = Duration.ofMinutes(1);

  /** Members remembered at most; the least recently used is forgotten first. */
  static final int MAX_MEMBERS = 1_000;

  private final Clock clock;
  private final Map<String, Member> members =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Member> eldest) {
          return size() > MAX_MEMBERS;
        }
      };

  MemberQuota(Clock clock) {
    this.clock = clock;
  }

  private static final class Member {
    final Deque<Instant> calls = new ArrayDeque<>();
    Instant pausedUntil = Instant.MIN;
  }

  /**
   * Takes a call for the member if the last minute leaves room.
   *
   * @return zero when taken; else how long until a call could go (nothing is taken then)
   */
  synchronized Duration tryTake(String member, int limit) {
    Instant now = clock.instant();
    Member state = members.computeIfAbsent(member, key -> new Member());
    if (now.isBefore(state.pausedUntil)) {
      return Duration.between(now, state.pausedUntil);
    }
    Instant windowStart = now.minus(WINDOW);
    while (!state.calls.isEmpty() && !state.calls.peekFirst().isAfter(windowStart)) {
      state.calls.pollFirst();
    }
    if (state.calls.size() >= limit) {
      return Duration.between(windowStart, state.calls.peekFirst());
    }
    state.calls.addLast(now);
    return Duration.ZERO;
  }

  /** LinkedIn refused a call with 429: no call for this member before {@code wait} has passed. */
  synchronized void pause(String member, Duration wait) {
    Member state = members.computeIfAbsent(member, key -> new Member());
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(state.pausedUntil)) {
      state.pausedUntil = until;
    }
  }
}

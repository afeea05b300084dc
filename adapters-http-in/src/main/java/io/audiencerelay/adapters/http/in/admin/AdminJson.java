package io.audiencerelay.adapters.http.in.admin;

import io.audiencerelay.application.port.in.admin.DestinationStatus;
import io.audiencerelay.application.port.in.admin.ListGrantsUseCase.GrantStatus;
import io.audiencerelay.application.port.out.DeliveryBacklog.DeadLetter;
import io.audiencerelay.domain.UserIdentifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin API's JSON shapes (snake_case, instants in ISO-8601, durations in seconds or
 * milliseconds as their names say), kept apart from the application's records.
 */
final class AdminJson {
  private AdminJson() {}

  static Map<String, Object> destination(DestinationStatus status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", status.name().value());
    out.put("type", status.type());
    out.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
    out.put("stuck", status.stuck());
    out.put("waiting_until", text(status.waitingUntil()));
    out.put("queue_depth", status.queueDepth());
    out.put("oldest_change_age_seconds", seconds(status.oldestChangeAge()));
    out.put("delivered_per_minute", Math.round(status.deliveredPerMinute() * 10) / 10.0);
    Map<String, Object> latency = new LinkedHashMap<>();
    if (status.latency() != null) {
      latency.put(
          "p50_ms", status.latency().p50() == null ? null : status.latency().p50().toMillis());
      latency.put(
          "p95_ms", status.latency().p95() == null ? null : status.latency().p95().toMillis());
      latency.put(
          "p99_ms", status.latency().p99() == null ? null : status.latency().p99().toMillis());
    }
    out.put("latency", status.latency() == null ? null : latency);
    out.put("last_error", status.lastError());
    out.put("last_error_at", text(status.lastErrorAt()));
    out.put("dead_letters", status.deadLetters());
    out.put("paused_by", status.pausedBy());
    out.put("paused_at", text(status.pausedAt()));
    List<Map<String, Object>> history = new ArrayList<>();
    for (DestinationStatus.Point point : status.history()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("minute", point.minute().toString());
      p.put("queue_depth", point.queueDepth() < 0 ? null : point.queueDepth());
      p.put("delivered", point.delivered());
      p.put("failed", point.failed());
      p.put("latency_p95_ms", point.latencyP95() == null ? null : point.latencyP95().toMillis());
      history.add(p);
    }
    out.put("history", history);
    return out;
  }

  static Map<String, Object> deadLetter(DeadLetter letter) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", letter.id());
    out.put("destination", letter.destination().value());
    letter
        .change()
        .ifPresentOrElse(
            change -> {
              out.put("feed_id", change.segment().feedId().value());
              out.put("segment_id", change.segment().segmentId().value());
              out.put("operation", change.operation().wireName());
              out.put(
                  "identifier_types",
                  change.identifiers().stream().map(UserIdentifier::type).distinct().toList());
            },
            () -> out.put("unreadable", true));
    out.put("reason", letter.error());
    out.put("attempts", letter.attempts());
    out.put("accepted_at", letter.enqueuedAt().toString());
    out.put("dead_at", letter.deadAt().toString());
    return out;
  }

  static Map<String, Object> grant(GrantStatus grant) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("destination", grant.destination().value());
    out.put("subject", grant.subject());
    out.put("refreshable", grant.refreshable());
    out.put("access_expires_at", text(grant.accessExpiresAt()));
    out.put("refresh_expires_at", text(grant.refreshExpiresAt()));
    out.put("problem", grant.problem());
    return out;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static Long seconds(Duration duration) {
    return duration == null ? null : duration.toSeconds();
  }
}

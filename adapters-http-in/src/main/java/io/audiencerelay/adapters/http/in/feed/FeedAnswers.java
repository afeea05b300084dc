package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.Unroutable;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol's answers: {@code status} and {@code message} bodies, and the status of each
 * outcome.
 */
final class FeedAnswers {
  private final JsonBodies json;

  FeedAnswers(JsonBodies json) {
    this.json = json;
  }

  /**
   * {@code {"status": status, "message": message}}, the message left out when empty, as the SDK
   * does.
   */
  static Map<String, Object> body(String status, String message) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", status);
    if (message != null && !message.isEmpty()) {
      answer.put("message", message);
    }
    return answer;
  }

  static Map<String, Object> body(String status, String key, Object value, String message) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("status", status);
    answer.put(key, value);
    if (message != null && !message.isEmpty()) {
      answer.put("message", message);
    }
    return answer;
  }

  void sendFailed(ServerResponse res, Failed failed) {
    sendJson(res, Status.INTERNAL_SERVER_ERROR_500, body("error", failed.message()));
  }

  /** The request matches no single destination: a client error naming the setting that fixes it. */
  void sendUnroutable(ServerResponse res, Unroutable unroutable) {
    sendJson(res, Status.BAD_REQUEST_400, body("error", unroutable.message()));
  }

  void sendNotImplemented(ServerResponse res, NotImplemented notImplemented) {
    sendJson(res, Status.BAD_REQUEST_400, body("not_implemented", notImplemented.message()));
  }

  void sendJson(ServerResponse res, Status status, Object answer) {
    res.status(status);
    res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
    res.send(json.write(answer));
  }
}

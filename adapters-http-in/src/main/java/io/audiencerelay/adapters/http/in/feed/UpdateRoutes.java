package io.audiencerelay.adapters.http.in.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.audiencerelay.adapters.http.in.BadRequestException;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.adapters.http.in.feed.WireRequests.BatchItemWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.BatchUpdateRequest;
import io.audiencerelay.adapters.http.in.feed.WireRequests.IdentifierWire;
import io.audiencerelay.adapters.http.in.feed.WireRequests.UserSegmentUpdateRequest;
import io.audiencerelay.application.port.in.BatchUpdateCommand;
import io.audiencerelay.application.port.in.BatchUpdateResult;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.FeedUpdateResult;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.UserIdentifier;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Membership updates: one by one ({@code user_segment_update}), the file form (newline-delimited
 * updates in one body), and {@code batch_update}.
 */
final class UpdateRoutes implements HttpService {
  private static final byte[] STATUS_OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

  /** Lines of a file of updates written to the queue together. */
  static final int LINES_PER_WRITE = 500;

  private static final java.util.Set<String> LINE_TYPES =
      java.util.Set.of(
          "application/x-ndjson",
          "application/jsonl",
          "application/json-lines",
          "application/ndjson");

  private final FeedUseCases useCases;
  private final JsonBodies json;
  private final FeedAnswers answers;
  private final long maxBodyBytes;
  private final UpdateBodies updateBodies;

  UpdateRoutes(FeedUseCases useCases, JsonBodies json, FeedAnswers answers, long maxBodyBytes) {
    this.useCases = useCases;
    this.json = json;
    this.answers = answers;
    this.maxBodyBytes = maxBodyBytes;
    this.updateBodies = new UpdateBodies(json);
  }

  private byte[] body(ServerRequest req) {
    return RequestBodies.whole(req, maxBodyBytes);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/v1/user_segment_update", this::updateUserSegment)
        .post("/v1/batch_update", this::batchUpdate);
  }

  private void updateUserSegment(ServerRequest req, ServerResponse res) {
    if (isLines(req)) {
      updateUserSegmentsFromLines(req, res);
      return;
    }
    UserSegmentUpdateRequest request = updateBodies.readUpdate(body(req));
    UpdateUserSegmentCommand command = FeedWire.updateCommand(request);
    switch (useCases.updateUserSegment().update(command)) {
      case UserSegmentUpdateResult.Accepted accepted -> {
        res.status(Status.OK_200);
        res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
        res.send(STATUS_OK);
      }
      case UserSegmentUpdateResult.Retry retry -> {
        long delayMs = Math.max(0, retry.after().toMillis());
        Map<String, Object> answer = FeedAnswers.body("retry", retry.message());
        if (delayMs > 0) {
          answer.put("next_msg_delay_in_ms", delayMs);
          res.header(FeedPluginRoutes.NEXT_MSG_DELAY, Long.toString(delayMs));
        }
        answers.sendJson(res, Status.TOO_MANY_REQUESTS_429, answer);
      }
      case UserSegmentUpdateResult.NoEligibleIdentifier none ->
          answers.sendJson(
              res,
              Status.BAD_REQUEST_400,
              FeedAnswers.body("no_eligible_identifier", none.message()));
      case Failed failed -> answers.sendFailed(res, failed);
      case FeedUpdateResult.ForBatch item -> {
        res.status(Status.OK_200);
        res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
        res.send(BatchDeliveryAnswer.of(item));
      }
    }
  }

  /**
   * The file form: a body of newline-delimited updates, each line one {@code user_segment_update}
   * request. Read as a stream, a chunk of lines at a time, so a large file never sits in memory
   * whole; each chunk is one durable write. Unreadable or unusable lines are counted and reported
   * by line number; they never fail the rest.
   */
  private void updateUserSegmentsFromLines(ServerRequest req, ServerResponse res) {
    LineTally tally = new LineTally();
    List<UpdateUserSegmentCommand> chunk = new ArrayList<>(LINES_PER_WRITE);
    List<Integer> chunkLines = new ArrayList<>(LINES_PER_WRITE);
    try (InputStream body = RequestBodies.stream(req, maxBodyBytes)) {
      BodyLines lines = new BodyLines(body);
      BodyLines.Line next;
      int line = 0;
      while (tally.retry == null && (next = lines.next()) != null) {
        line++;
        if (next.error() != null) {
          tally.lines++;
          tally.failed(line, next.error());
          continue;
        }
        String text = next.text();
        if (text.isBlank()) {
          continue;
        }
        tally.lines++;
        try {
          chunk.add(FeedWire.updateCommand(updateBodies.readUpdateLine(text)));
          chunkLines.add(line);
        } catch (IOException | RuntimeException unreadable) {
          tally.failed(line, lineError(unreadable));
        }
        if (chunk.size() == LINES_PER_WRITE) {
          tally.add(useCases.updateUserSegments().update(chunk), chunkLines);
          chunk.clear();
          chunkLines.clear();
        }
      }
    } catch (IOException e) {
      throw BadRequestException.body("Unreadable body: " + e.getMessage());
    }
    if (!chunk.isEmpty() && tally.retry == null) {
      tally.add(useCases.updateUserSegments().update(chunk), chunkLines);
    }
    if (tally.lines == 0) {
      throw BadRequestException.body("Missing request body");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    Status status;
    if (tally.retry != null) {
      status = Status.TOO_MANY_REQUESTS_429;
      answer.put("status", "retry");
      answer.put("message", tally.retry.message());
      long delayMs = Math.max(0, tally.retry.after().toMillis());
      if (delayMs > 0) {
        answer.put("next_msg_delay_in_ms", delayMs);
        res.header(FeedPluginRoutes.NEXT_MSG_DELAY, Long.toString(delayMs));
      }
    } else if (tally.accepted > 0) {
      status = Status.OK_200;
      answer.put("status", "ok");
    } else if (tally.failed == 0) {
      status = Status.BAD_REQUEST_400;
      answer.put("status", "no_eligible_identifier");
    } else {
      status = Status.BAD_REQUEST_400;
      answer.put("status", "error");
    }
    answer.put("accepted", tally.accepted);
    answer.put("no_eligible_identifier", tally.notEligible);
    answer.put("failed", tally.failed);
    if (!tally.errors.isEmpty()) {
      answer.put("errors", tally.errors);
    }
    answers.sendJson(res, status, answer);
  }

  /** Counts of a file of updates, with the first errors by line. */
  private static final class LineTally {
    static final int MAX_ERRORS = 20;
    int lines;
    int accepted;
    int notEligible;
    int failed;
    UserSegmentUpdateResult.Retry retry;
    final List<Map<String, Object>> errors = new ArrayList<>();

    void add(List<UserSegmentUpdateResult> results, List<Integer> lineNumbers) {
      for (int i = 0; i < results.size(); i++) {
        switch (results.get(i)) {
          case UserSegmentUpdateResult.Accepted ok -> accepted++;
          case UserSegmentUpdateResult.NoEligibleIdentifier none -> notEligible++;
          case UserSegmentUpdateResult.Retry later -> retry = later;
          case Failed failure -> failed(lineNumbers.get(i), failure.message());
        }
      }
    }

    void failed(int line, String message) {
      failed++;
      if (errors.size() < MAX_ERRORS) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("line", line);
        error.put("message", message);
        errors.add(error);
      }
    }
  }

  private static String lineError(Exception e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
      return "Malformed JSON: " + json.getOriginalMessage().split("\n")[0];
    }
    return e.getMessage();
  }

  private static boolean isLines(ServerRequest req) {
    return req.headers()
        .contentType()
        .map(
            type -> LINE_TYPES.contains(type.mediaType().text().toLowerCase(java.util.Locale.ROOT)))
        .orElse(false);
  }

  private void batchUpdate(ServerRequest req, ServerResponse res) {
    BatchUpdateRequest request = json.read(body(req), BatchUpdateRequest.class);
    if (request.context() == null) {
      throw BadRequestException.field("context is required");
    }
    if (request.batchContent() == null) {
      throw BadRequestException.field("batch_content is required");
    }
    var context = request.context();
    ExternalSegment segment =
        FeedWire.segment(context.feedId(), context.segmentId(), context.datamartId());
    MembershipOperation groupOperation = groupingOperation(context.groupingKey());
    List<BatchUpdateCommand.Item> items = new ArrayList<>(request.batchContent().size());
    int unreadable = 0;
    for (JsonNode element : request.batchContent()) {
      BatchUpdateCommand.Item item = batchItem(element, groupOperation);
      if (item == null) {
        unreadable++;
      } else {
        items.add(item);
      }
    }
    BatchUpdateCommand command =
        new BatchUpdateCommand(segment, items, unreadable, FeedWire.timestamp(request.ts()));
    BatchUpdateResult result = useCases.batchUpdate().update(command);
    Map<String, Object> answer = new LinkedHashMap<>();
    Status status;
    switch (result) {
      case BatchUpdateResult.Sent sent -> {
        status = Status.OK_200;
        answer.put("status", "OK");
      }
      case BatchUpdateResult.Error error -> {
        status = Status.BAD_REQUEST_400;
        answer.put("status", "ERROR");
      }
      case BatchUpdateResult.Retry retry -> {
        status = Status.SERVICE_UNAVAILABLE_503;
        answer.put("status", "RETRY");
        long delayMs = Math.max(0, retry.after().toMillis());
        if (delayMs > 0) {
          res.header(FeedPluginRoutes.NEXT_MSG_DELAY, Long.toString(delayMs));
        }
      }
    }
    answer.put("sent_items_in_success", result.sent());
    answer.put("sent_items_in_error", result.inError());
    String message =
        switch (result) {
          case BatchUpdateResult.Sent sent -> sent.message();
          case BatchUpdateResult.Error error -> error.message();
          case BatchUpdateResult.Retry retry -> retry.message();
        };
    if (message != null && !message.isEmpty()) {
      answer.put("message", message);
    }
    answers.sendJson(res, status, answer);
  }

  /**
   * One {@code batch_content} element: an object, or a string holding one (both encodings occur).
   */
  private BatchUpdateCommand.Item batchItem(JsonNode element, MembershipOperation groupOperation) {
    try {
      JsonNode node =
          element != null && element.isTextual()
              ? json.mapper().readTree(element.asText())
              : element;
      if (node == null || !node.isObject()) {
        return null;
      }
      BatchItemWire wire = json.mapper().treeToValue(node, BatchItemWire.class);
      MembershipOperation operation =
          wire.operation() == null ? groupOperation : FeedWire.parseOperation(wire.operation());
      List<UserIdentifier> identifiers = IdentifierWire.toDomain(wire.userIdentifiers());
      return operation == null || identifiers.isEmpty()
          ? null
          : new BatchUpdateCommand.Item(operation, identifiers);
    } catch (java.io.IOException | IllegalArgumentException unreadable) {
      return null;
    }
  }

  private static MembershipOperation groupingOperation(String groupingKey) {
    MembershipOperation operation =
        groupingKey == null ? null : FeedWire.parseOperation(groupingKey);
    return operation == null ? MembershipOperation.ADD : operation;
  }
}

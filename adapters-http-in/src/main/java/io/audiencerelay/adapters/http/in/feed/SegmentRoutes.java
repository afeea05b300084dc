package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.BadRequestException;
import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.RequestBodies;
import io.audiencerelay.adapters.http.in.feed.WireRequests.SegmentRequest;
import io.audiencerelay.application.port.in.Failed;
import io.audiencerelay.application.port.in.NotImplemented;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentConnectionResult;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.TroubleshootCommand;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** The segment lifecycle: creation, connection and troubleshooting of a segment's audience. */
final class SegmentRoutes implements HttpService {
  private final FeedUseCases useCases;
  private final JsonBodies json;
  private final FeedAnswers answers;
  private final long maxBodyBytes;

  SegmentRoutes(FeedUseCases useCases, JsonBodies json, FeedAnswers answers, long maxBodyBytes) {
    this.useCases = useCases;
    this.json = json;
    this.answers = answers;
    this.maxBodyBytes = maxBodyBytes;
  }

  private byte[] body(ServerRequest req) {
    return RequestBodies.whole(req, maxBodyBytes);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/v1/external_segment_creation", this::createExternalSegment)
        .post("/v1/external_segment_connection", this::connectExternalSegment)
        .post("/v1/troubleshoot", this::troubleshoot);
  }

  private void createExternalSegment(ServerRequest req, ServerResponse res) {
    SegmentRequest request = json.read(body(req), SegmentRequest.class);
    SegmentCommand command =
        new SegmentCommand(
            FeedWire.segment(request), FeedWire.destinationId(request.feedDestinationId()));
    switch (useCases.createExternalSegment().create(command)) {
      case SegmentCreationResult.Created created ->
          answers.sendJson(
              res,
              Status.OK_200,
              FeedAnswers.body("ok", "visibility", created.visibility().name(), created.message()));
      case Failed failed ->
          answers.sendJson(
              res,
              Status.INTERNAL_SERVER_ERROR_500,
              FeedAnswers.body(
                  "error", "visibility", failed.visibility().name(), failed.message()));
    }
  }

  private void connectExternalSegment(ServerRequest req, ServerResponse res) {
    SegmentRequest request = json.read(body(req), SegmentRequest.class);
    SegmentCommand command =
        new SegmentCommand(
            FeedWire.segment(request), FeedWire.destinationId(request.feedDestinationId()));
    switch (useCases.connectExternalSegment().connect(command)) {
      case SegmentConnectionResult.Connected connected ->
          answers.sendJson(res, Status.OK_200, FeedAnswers.body("ok", connected.message()));
      case SegmentConnectionResult.NotReadyYet notReady ->
          answers.sendJson(
              res,
              Status.BAD_GATEWAY_502,
              FeedAnswers.body("external_segment_not_ready_yet", notReady.message()));
      case Failed failed -> answers.sendFailed(res, failed);
    }
  }

  private void troubleshoot(ServerRequest req, ServerResponse res) {
    SegmentRequest request = json.read(body(req), SegmentRequest.class);
    String action = request.action();
    if (action == null || action.isBlank()) {
      throw BadRequestException.field("action is required");
    }
    // The protocol checks the action before anything else.
    if (!TroubleshootCommand.FETCH_DESTINATION_AUDIENCE.equals(action)) {
      answers.sendJson(
          res,
          Status.BAD_REQUEST_400,
          FeedAnswers.body("not_implemented", "Action " + action + " not supported"));
      return;
    }
    TroubleshootCommand command = new TroubleshootCommand(FeedWire.segment(request), action);
    switch (useCases.troubleshoot().troubleshoot(command)) {
      case TroubleshootResult.Found found -> {
        Map<String, Object> answer = FeedAnswers.body("ok", found.message());
        answer.put("data", found.data());
        answers.sendJson(res, Status.OK_200, answer);
      }
      case Failed failed -> answers.sendFailed(res, failed);
      case NotImplemented notImplemented -> answers.sendNotImplemented(res, notImplemented);
    }
  }
}

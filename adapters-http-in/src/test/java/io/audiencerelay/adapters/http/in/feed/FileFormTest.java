package io.audiencerelay.adapters.http.in.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.adapters.http.in.FakeUseCases;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.audiencerelay.adapters.http.in.TestServer;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code user_segment_update} with a body of newline-delimited updates: the file form. */
class FileFormTest {
  final FakeUseCases fake = new FakeUseCases();
  final TestServer server = new TestServer(fake.asUseCases(), new LogLevels(), 16L << 20);

  @AfterEach
  void stop() {
    server.close();
  }

  static String line(int i) {
    return "{\"feed_id\":\"6921\",\"segment_id\":\"84213\",\"operation\":\""
        + (i % 5 == 0 ? "DELETE" : "UPSERT")
        + "\",\"user_identifiers\":[{\"type\":\"USER_POINT\",\"user_point_id\":\"u"
        + i
        + "\"}]}";
  }

  TestServer.Answer postLines(String body) {
    return server.send(
        HttpRequest.newBuilder(server.uri("/v1/user_segment_update"))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void everyUsableLineIsAcceptedInChunksAndBadLinesAreReportedByNumber() {
    StringBuilder body = new StringBuilder();
    for (int i = 1; i <= 1203; i++) {
      String line =
          switch (i) {
            case 7 -> "{\"feed_id\":\"6921\",";
            case 8 -> "{\"segment_id\":\"84213\"}";
            default -> line(i);
          };
      body.append(line).append(i == 20 ? "\n\n" : "\n");
    }

    var answer = postLines(body.toString());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("status").asText()).isEqualTo("ok");
    assertThat(answer.json().get("accepted").asInt()).isEqualTo(1201);
    assertThat(answer.json().get("failed").asInt()).isEqualTo(2);
    assertThat(answer.json().get("errors").toString())
        .isEqualTo(
            "[{\"line\":7,\"message\":\"Malformed JSON: Unexpected end-of-input within/between Object"
                + " entries\"},{\"line\":8,\"message\":\"feed_id is required\"}]");
    assertThat(fake.lines).extracting(List::size).containsExactly(500, 500, 201);
    UpdateUserSegmentCommand fifth = fake.lines.getFirst().get(4);
    assertThat(fifth.identifiers().getFirst().value()).isEqualTo("u5");
    assertThat(fifth.operation()).isEqualTo(io.audiencerelay.domain.MembershipOperation.REMOVE);
  }

  @Test
  void aFullQueueStopsTheReadingAndAsksForARetry() {
    fake.linesAnswer =
        commands -> {
          UserSegmentUpdateResult result =
              fake.lines.size() == 1
                  ? new UserSegmentUpdateResult.Accepted()
                  : new UserSegmentUpdateResult.Retry(Duration.ofSeconds(2), "the queue is full");
          List<UserSegmentUpdateResult> results = new ArrayList<>();
          commands.forEach(c -> results.add(result));
          return results;
        };
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      body.append(line(i)).append('\n');
    }

    var answer = postLines(body.toString());

    assertThat(answer.status()).isEqualTo(429);
    assertThat(answer.header("x-mics-next-msg-delay")).isEqualTo("2000");
    assertThat(answer.json().get("accepted").asInt()).isEqualTo(500);
    assertThat(fake.lines).hasSize(2);
  }

  @Test
  void aFileWithNothingUsableIsAClientError() {
    fake.linesAnswer =
        commands ->
            commands.stream()
                .map(
                    c ->
                        (UserSegmentUpdateResult)
                            new UserSegmentUpdateResult.NoEligibleIdentifier("none"))
                .toList();

    var noneEligible = postLines(line(1) + "\n" + line(2) + "\n");
    var empty = postLines("\n\n");

    assertThat(noneEligible.status()).isEqualTo(400);
    assertThat(noneEligible.json().get("status").asText()).isEqualTo("no_eligible_identifier");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body()).isEqualTo("{\"error\":\"Missing request body\"}");
  }
}

package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.http.in.RelayHttpServer;
import io.audiencerelay.bootstrap.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the bad-input corpus ({@code bad-inputs/corpus.jsonl}, written by {@code
 * reliability/tools/make_bad_inputs.py}) against one relay configured as operators run it: several
 * destinations, Mapp, synced segments, the admin listener with a token. Raw HTTP over a socket, so
 * that any method, header or byte can be sent. No answer may be a 5xx; every 4xx must be a JSON
 * error that says what is wrong; the relay must still serve afterwards; no secret it was given may
 * appear in an answer or in its log.
 */
class BadInputCorpusTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> SECRETS =
      List.of("corpus-mapp-secret", "corpus-synced-token", "corpus-admin-token-0123456789");

  @TempDir Path dir;
  @StartStop final MockWebServer partner = new MockWebServer();
  Main.Running relay;
  final List<String> logged = new ArrayList<>();
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (logged) {
            logged.add(
                record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(capture);
    if (relay != null) {
      relay.stop();
    }
  }

  @Test
  void noBadInputGetsA5xxAndEveryRefusalSaysWhy() throws Exception {
    partner.enqueue(new MockResponse.Builder().code(200).build());
    Path config =
        Files.writeString(
            dir.resolve("relay.yaml"),
            """
            server: {host: 127.0.0.1, port: 0}
            storage: {data_dir: '%s'}
            admin: {port: 0, token: corpus-admin-token-0123456789}
            destinations:
              files: {type: file, directory: '%s'}
              hook: {type: webhook, url: '%shook/{audience}'}
              dry-run: {type: recording}
            feeds:
              "6921": {properties: {destination: files}}
            mapp: {secret: corpus-mapp-secret, destination: dry-run}
            synced_segments:
              rudderstack: {token: corpus-synced-token, destination: dry-run}
            """
                .formatted(dir.resolve("data"), dir.resolve("out"), partner.url("/")));
    Logger.getLogger("").addHandler(capture);
    relay = Main.start(new ConfigLoader(Map.of("RELAY_CONFIG", config.toString())).load());
    int protocol = relay.server().port();
    int admin = relay.server().port(RelayHttpServer.ADMIN_SOCKET);

    List<String> problems = new ArrayList<>();
    Map<Integer, Integer> byStatus = new TreeMap<>();
    int count = 0;
    int protocolErrors = 0;
    try (var lines =
        Files.lines(
            Path.of(BadInputCorpusTest.class.getResource("/bad-inputs/corpus.jsonl").toURI()))) {
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        JsonNode entry = JSON.readTree(it.next());
        count++;
        String name = entry.path("name").asText();
        Answer answer = send(entry.path("port").asText().equals("admin") ? admin : protocol, entry);
        byStatus.merge(answer.status, 1, Integer::sum);
        if (protocolError(entry, answer)) {
          protocolErrors++;
        }
        String problem = judge(entry, answer);
        if (problem != null) {
          problems.add(name + ": " + problem);
        }
      }
    }
    int total = count;
    int sdkErrors = protocolErrors;
    Logger.getLogger(BadInputCorpusTest.class.getName())
        .info(
            () ->
                "bad-input corpus: "
                    + total
                    + " requests, answers by status "
                    + byStatus
                    + "; of the 500s, "
                    + sdkErrors
                    + " are the SDK's own error answers with a message, the rest would be failures");

    assertThat(count).isGreaterThanOrEqualTo(300);
    assertThat(problems).isEmpty();
    assertThat(relay.server().isRunning()).isTrue();
    assertThat(
            send(
                    protocol,
                    JSON.readTree("{\"method\":\"GET\",\"path\":\"/v1/status\",\"headers\":{}}"))
                .status)
        .isEqualTo(200);
    synchronized (logged) {
      for (String line : logged) {
        for (String secret : SECRETS) {
          assertThat(line).as("a log line").doesNotContain(secret);
        }
      }
    }
  }

  static String judge(JsonNode entry, Answer answer) {
    if (answer.status == 0) {
      return "no answer (" + answer.body + ")";
    }
    if (answer.status >= 500 && !protocolError(entry, answer)) {
      return answer.status + " " + abbreviate(answer.body);
    }
    for (String secret : SECRETS) {
      if (answer.body.contains(secret)) {
        return "the answer holds a secret";
      }
    }
    boolean reject = entry.path("expect").asText().equals("reject");
    if (reject && (answer.status < 400 || answer.status >= 500 && !protocolError(entry, answer))) {
      return "expected a 4xx refusal, got " + answer.status + " " + abbreviate(answer.body);
    }
    if (answer.status >= 400) {
      JsonNode body;
      try {
        body = JSON.readTree(answer.body);
      } catch (IOException e) {
        return answer.status + " is not JSON: " + abbreviate(answer.body);
      }
      if (body == null || !body.isObject()) {
        return answer.status + " is not a JSON object: " + abbreviate(answer.body);
      }
      String says = body.path("error").asText(body.path("message").asText(""));
      boolean named =
          !says.isBlank()
              // The protocol's own answers: "not implemented" is the problem; the file form lists
              // each line's.
              || body.path("status").asText().equals("not_implemented")
              || body.path("errors").path(0).path("message").isTextual();
      if (!named) {
        return answer.status + " names no problem: " + abbreviate(answer.body);
      }
    }
    return null;
  }

  /**
   * The SDK's own error on a feed route: 500 with {@code {"status":"error","message":…}} (an
   * unroutable feed, an OAuth route not implemented), never the relay's internal error.
   */
  static boolean protocolError(JsonNode entry, Answer answer) {
    if (answer.status != 500 || !entry.path("path").asText().startsWith("/v1/")) {
      return false;
    }
    try {
      JsonNode body = JSON.readTree(answer.body);
      String message = body.path("message").asText("");
      return body.path("status").asText().equals("error")
          && !message.isBlank()
          && !message.startsWith("Internal error");
    } catch (IOException e) {
      return false;
    }
  }

  record Answer(int status, String body) {}

  /** One request as raw HTTP/1.1 bytes, then the whole answer until the server closes. */
  static Answer send(int port, JsonNode entry) throws Exception {
    byte[] body = body(entry);
    StringBuilder head = new StringBuilder();
    head.append(entry.path("method").asText()).append(' ').append(entry.path("path").asText());
    head.append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (var it = entry.path("headers").properties().iterator(); it.hasNext(); ) {
      var header = it.next();
      if (!header.getValue().asText().isEmpty()) {
        head.append(header.getKey()).append(": ").append(header.getValue().asText()).append("\r\n");
      }
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException closedEarly) {
        // The server may answer (413) and close before the body is all sent: read what it said.
      }
      return parse(socket.getInputStream());
    }
  }

  static byte[] body(JsonNode entry) {
    if (entry.has("body_base64")) {
      return Base64.getDecoder().decode(entry.path("body_base64").asText());
    }
    if (entry.has("body_repeat")) {
      JsonNode repeat = entry.path("body_repeat");
      StringBuilder text = new StringBuilder(repeat.path("head").asText());
      String unit = repeat.path("unit").asText();
      for (int i = 0; i < repeat.path("times").asInt(); i++) {
        text.append(unit);
      }
      return text.append(repeat.path("tail").asText()).toString().getBytes(StandardCharsets.UTF_8);
    }
    return entry.has("body") ? entry.path("body").asText().getBytes(StandardCharsets.UTF_8) : null;
  }

  /**
   * Reads the status line, the headers and the body its Content-Length or chunks announce; not up
   * to the connection's close, which a server may delay.
   */
  static Answer parse(InputStream raw) throws IOException {
    java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw);
    String statusLine;
    try {
      statusLine = line(in);
    } catch (IOException reset) {
      return new Answer(0, "connection reset before any answer");
    }
    if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
      return new Answer(0, "no HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    String header;
    while ((header = line(in)) != null && !header.isEmpty()) {
      String lower = header.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      String size;
      while ((size = line(in)) != null) {
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          break;
        }
        body.write(in.readNBytes(n));
        line(in);
      }
    } else if (length >= 0) {
      body.write(in.readNBytes((int) length));
    }
    return new Answer(status, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}

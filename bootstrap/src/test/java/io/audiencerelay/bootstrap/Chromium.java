package io.audiencerelay.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven through the DevTools protocol over the JDK's WebSocket: enough to load a
 * page, run JavaScript in it, change the viewport and take screenshots, with no driver binary and
 * no library.
 */
final class Chromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** The browser binary Debian's package installs, or {@code CHROMIUM} when set. */
  static Optional<Path> find() {
    String named = System.getenv("CHROMIUM");
    for (String candidate :
        named != null
            ? List.of(named)
            : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  Chromium(Path binary) throws Exception {
    profile = Files.createTempDirectory("relay-chromium");
    process =
        new ProcessBuilder(
                binary.toString(),
                "--headless=new",
                "--no-sandbox", // CI runs as root, where the sandbox cannot start
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=1280,900",
                "about:blank")
            .redirectErrorStream(true)
            .start();
    String browserUrl = browserUrl();
    int port = URI.create(browserUrl).getPort();
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    String pageUrl = null;
    for (JsonNode target : targets) {
      if (target.path("type").asText().equals("page")) {
        pageUrl = target.path("webSocketDebuggerUrl").asText();
        break;
      }
    }
    if (pageUrl == null) {
      throw new IllegalStateException("Chromium opened no page: " + targets);
    }
    socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(pageUrl), new Listener())
            .get(10, TimeUnit.SECONDS);
    send("Page.enable", Map.of());
    send("Runtime.enable", Map.of());
  }

  private String browserUrl() throws IOException {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        // Keep draining its output so the browser never blocks on a full pipe.
        Thread.ofVirtual().start(() -> output.lines().forEach(ignored -> {}));
        return matcher.group(1);
      }
    }
    throw new IllegalStateException("Chromium did not start:\n" + seen);
  }

  /** Sends a command and waits for its result. */
  JsonNode send(String method, Map<String, ?> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode reply = answer.get(30, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  void open(String url) throws Exception {
    send("Page.navigate", Map.of("url", url));
  }

  /** Runs JavaScript in the page and answers its value (promises awaited). */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode result =
        send(
            "Runtime.evaluate",
            Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(
          "page error in " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Evaluates until the expression is true, or fails with the last value seen. */
  void waitFor(String expression, Duration deadline) throws Exception {
    Eventually.within(
        deadline,
        () -> {
          if (!evaluate(expression).asBoolean(false)) {
            throw new AssertionError(
                "not yet true in the page: "
                    + expression
                    + "\n(status line: "
                    + evaluate("(document.querySelector('#status') || {}).textContent")
                    + ")");
          }
        });
  }

  void viewport(int width, int height, boolean mobile) throws Exception {
    send(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  void screenshot(Path file) throws Exception {
    JsonNode shot =
        send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() throws Exception {
    try {
      socket.abort();
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Joins a message's frames and completes the command it answers. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder frames = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      frames.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(frames.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
            if (answer != null) {
              answer.complete(message);
            }
          }
        } catch (IOException e) {
          pending.values().forEach(answer -> answer.completeExceptionally(e));
        }
        frames.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}

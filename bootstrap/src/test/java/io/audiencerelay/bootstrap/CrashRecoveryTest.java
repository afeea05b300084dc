package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of the durable queue, checked on a real process: every update answered OK reaches the
 * destination, even when the relay is killed with SIGKILL before it delivered anything.
 */
class CrashRecoveryTest {
  static final int UPDATES = 300;
  static final Pattern VALUE = Pattern.compile("\"value\":\"(user-\\d+)\"");

  @TempDir Path dir;
  final HttpClient client = HttpClient.newHttpClient();
  final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void everyUpdateAnsweredOkSurvivesSigkillAndIsDeliveredAfterRestart() throws Exception {
    Path out = dir.resolve("out");
    // First life: deliveries linger for ten minutes, so everything is still queued when the process
    // dies.
    Path holding = config("holding.yaml", out, 600_000);
    int port = freePort();
    Process relay = start(holding, port);

    List<Integer> statuses = sendUpdates(port);

    assertThat(statuses).hasSize(UPDATES).containsOnly(200);
    relay.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(relay.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(deliveredUsers(out)).isEmpty();

    // Second life on the same data directory, delivering at once.
    Process restarted = start(config("delivering.yaml", out, 0), port);
    Eventually.within(
        Duration.ofSeconds(30), () -> assertThat(deliveredUsers(out)).hasSize(UPDATES));

    restarted.destroy(); // SIGTERM: an orderly stop
    assertThat(restarted.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(restarted.exitValue()).isIn(0, 143);
  }

  private List<Integer> sendUpdates(int port) throws Exception {
    List<Future<Integer>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < UPDATES; i++) {
        String body =
            """
            {"feed_id":"6921","segment_id":"84213","operation":"UPSERT",
             "user_identifiers":[{"type":"USER_POINT","user_point_id":"user-%d"}]}
            """
                .formatted(i);
        answers.add(
            pool.submit(
                () ->
                    client
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        "http://127.0.0.1:" + port + "/v1/user_segment_update"))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get(30, TimeUnit.SECONDS));
      }
      return statuses;
    }
  }

  private Path config(String name, Path out, long lingerMs) throws IOException {
    return Files.writeString(
        dir.resolve(name),
        """
        storage:
          data_dir: %s
        delivery:
          linger_ms: %d
        destinations:
          files:
            type: file
            directory: %s
        """
            .formatted(dir.resolve("data"), lingerMs, out));
  }

  private Process start(Path config, int port) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("relay-" + started.size() + ".log").toFile());
    builder.environment().put("RELAY_CONFIG", config.toString());
    builder.environment().put("PLUGIN_PORT", Integer.toString(port));
    builder.environment().remove("GATEWAY_HOST");
    builder.environment().remove("PLUGIN_WORKER_ID");
    builder.environment().remove("PLUGIN_AUTHENTICATION_TOKEN");
    Process process = builder.start();
    started.add(process);
    Eventually.within(
        Duration.ofSeconds(30),
        () -> {
          assertThat(process.isAlive()).as("relay process alive").isTrue();
          var status =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/status"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          assertThat(status.statusCode()).isEqualTo(200);
        });
    return process;
  }

  /**
   * Distinct users found in the destination's files (delivery is at least once, so duplicates are
   * allowed).
   */
  private static Set<String> deliveredUsers(Path out) throws IOException {
    Set<String> users = new HashSet<>();
    if (!Files.isDirectory(out)) {
      return users;
    }
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.toList()) {
        Matcher matcher = VALUE.matcher(Files.readString(file));
        while (matcher.find()) {
          users.add(matcher.group(1));
        }
      }
    }
    return users;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

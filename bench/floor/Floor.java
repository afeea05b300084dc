import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The floors of the relay's stack, for the benchmark: a bare Helidon route that parses the body and answers, and the
 * same route that also appends each body to a file, group-committed with one fsync every 2 ms (the durable floor).
 * Run with the relay's jar on the class path: java -cp audience-relay.jar Floor.java bare|durable PORT [FILE]
 */
public class Floor {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
  record Pending(byte[] line, CompletableFuture<Void> done) {}
  static final LinkedBlockingQueue<Pending> PENDING = new LinkedBlockingQueue<>();

  public static void main(String[] args) throws Exception {
    boolean durable = args[0].equals("durable");
    int port = Integer.parseInt(args[1]);
    if (durable) {
      FileChannel file = FileChannel.open(Path.of(args[2]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      Thread.ofPlatform().daemon(true).start(() -> groupCommit(file));
    }
    WebServer.builder().host("127.0.0.1").port(port).maxPayloadSize(12L << 20)
        .routing(r -> r.any((req, res) -> {
          byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
          parse(body);
          if (durable) {
            Pending pending = new Pending(body, new CompletableFuture<>());
            PENDING.add(pending);
            pending.done().get();
          }
          res.headers().set(HeaderValues.CONTENT_TYPE_JSON);
          res.send(OK);
        }))
        .build().start();
  }

  /** One JSON document, or one per line for the file form. */
  static void parse(byte[] body) throws IOException {
    if (body.length > 0 && body[0] == '{' && indexOf(body, (byte) '\n') > 0 && indexOf(body, (byte) '\n') < body.length - 1) {
      for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          JsonNode ignored = JSON.readTree(line);
        }
      }
    } else if (body.length > 0) {
      JsonNode ignored = JSON.readTree(body);
    }
  }

  static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) return i;
    }
    return -1;
  }

  static void groupCommit(FileChannel file) {
    List<Pending> group = new ArrayList<>();
    while (true) {
      try {
        Pending first = PENDING.poll(1, TimeUnit.SECONDS);
        if (first == null) continue;
        TimeUnit.MILLISECONDS.sleep(2); // let the group fill: one fsync every few milliseconds
        group.add(first);
        PENDING.drainTo(group);
        for (Pending p : group) {
          ByteBuffer buffer = ByteBuffer.wrap(p.line());
          while (buffer.hasRemaining()) file.write(buffer);
          file.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        file.force(false);
        group.forEach(p -> p.done().complete(null));
        group.clear();
      } catch (Exception e) {
        group.forEach(p -> p.done().completeExceptionally(e));
        group.clear();
      }
    }
  }
}

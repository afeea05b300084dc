package io.audiencerelay.bootstrap;

import io.audiencerelay.application.service.DestinationDirectory;
import io.helidon.webserver.WebServer;
import java.time.Clock;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Starts the relay: configuration, wiring, the web server. SIGTERM stops it gracefully (Helidon's
 * hook).
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    Logging.install();
    WebServer server;
    RelayConfig config;
    try {
      config = new ConfigLoader(System.getenv()).load();
      server = start(config).server();
    } catch (ConfigException | IllegalArgumentException e) {
      // One plain line a person reads at once; the relay exits before serving anything.
      System.err.println("audience-relay: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!server.isRunning()) {
      // Helidon logs the cause (address in use, permission) and returns a stopped server rather
      // than throwing.
      System.err.println(
          "audience-relay: cannot listen on "
              + config.http().host()
              + ":"
              + config.http().port()
              + ", see the log above");
      System.exit(2);
      return;
    }
    LOG.info(() -> "audience-relay listening on port " + server.port());
  }

  /** A started relay: its server and the component it was built from. */
  record Running(WebServer server, RelayComponent component) {}

  /** Wires and starts the relay; the configuration is checked in full before the port opens. */
  static Running start(RelayConfig config) {
    RelayComponent relay = RelayComponent.create(config, Clock.systemUTC());
    DestinationDirectory destinations = relay.destinations();
    WebServer server = relay.webServer().start();
    LOG.info(
        () ->
            "configuration: "
                + config.source()
                + "; platform: "
                + config
                    .gateway()
                    .map(Object::toString)
                    .orElse("static feeds from the configuration")
                + "; destinations: "
                + destinations.all().stream()
                    .map(r -> r.destination().name() + " (" + r.destination().type() + ")")
                    .collect(Collectors.joining(", ")));
    return new Running(server, relay);
  }
}

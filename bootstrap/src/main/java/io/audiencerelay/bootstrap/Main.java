package io.audiencerelay.bootstrap;

import io.audiencerelay.adapters.http.in.RelayHttpServer;
import io.audiencerelay.adapters.storage.jdbc.StorageException;
import io.audiencerelay.application.service.routing.DestinationDirectory;
import io.audiencerelay.bootstrap.config.ConfigException;
import io.audiencerelay.bootstrap.config.ConfigLoader;
import io.audiencerelay.bootstrap.config.RelayConfig;
import io.audiencerelay.bootstrap.config.TokenKeys;
import io.audiencerelay.bootstrap.observability.Logging;
import io.audiencerelay.bootstrap.observability.RelayLogManager;
import io.audiencerelay.bootstrap.wiring.RelayComponent;
import io.helidon.webserver.WebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Starts the relay: configuration, wiring, storage, delivery, the web server. On SIGTERM it stops
 * taking requests, lets in-flight requests and partner calls finish within the grace period, stores
 * what it accepted, and exits.
 */
public final class Main {
  static {
    // Before any logger exists: keeps logging alive through the shutdown hook.
    System.setProperty("java.util.logging.manager", RelayLogManager.class.getName());
  }

  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    exitOnVirtualMachineError();
    Logging.install();
    Running running;
    RelayConfig config;
    try {
      config = new ConfigLoader(System.getenv()).load();
      running = start(config);
    } catch (ConfigException | IllegalArgumentException e) {
      // One plain line a person reads at once; the relay exits before serving anything.
      System.err.println("audience-relay: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    } catch (StorageException e) {
      // An operational failure, not a typo: it goes to the log with the rest, as one line that
      // names the cause; the relay exits before serving anything.
      LOG.severe(
          () ->
              "storage error: "
                  + e.getMessage()
                  + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
      System.exit(2);
      return;
    }
    if (!running.server().isRunning()) {
      // Helidon logs the cause (address in use, permission) and returns a stopped server rather
      // than throwing.
      System.err.println(
          "audience-relay: cannot listen on "
              + config.http().host()
              + ":"
              + config.http().port()
              + config
                  .admin()
                  .map(
                      admin ->
                          " (or the admin listener on " + admin.host() + ":" + admin.port() + ")")
                  .orElse("")
              + ", see the log above");
      running.stop();
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "relay-shutdown"));
    LOG.info(() -> "audience-relay listening on port " + running.server().port());
    config
        .admin()
        .ifPresent(
            admin ->
                LOG.info(
                    () ->
                        "admin console on http://"
                            + admin.host()
                            + ":"
                            + running.server().port(RelayHttpServer.ADMIN_SOCKET)
                            + "/admin/"
                            + (admin.hasCredentials()
                                ? " (credentials required)"
                                : admin.loopbackOnly()
                                    ? " (loopback only, no credentials)"
                                    : " (refusing every request: no credentials configured)")));
  }

  /**
   * A thread that dies of an {@link OutOfMemoryError} (or another error of the JVM itself) leaves a
   * relay that still answers but can no longer store or deliver: the process exits at once instead,
   * so its supervisor restarts it (the journal keeps every update it answered). The launcher's
   * {@code -XX:+ExitOnOutOfMemoryError} covers the threads that catch their errors.
   */
  static void exitOnVirtualMachineError() {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          if (error instanceof VirtualMachineError) {
            try {
              System.err.println(
                  "audience-relay: "
                      + error.getClass().getSimpleName()
                      + " in thread "
                      + thread.getName()
                      + ": exiting so that the process is restarted (nothing answered OK is lost)");
            } finally {
              Runtime.getRuntime().halt(3);
            }
          }
          if (previous != null) {
            previous.uncaughtException(thread, error);
          } else {
            LOG.log(
                java.util.logging.Level.SEVERE,
                error,
                () -> "thread " + thread.getName() + " died");
          }
        });
  }

  /** A started relay. */
  record Running(WebServer server, RelayComponent component, Duration grace) {
    /** Stops in dependency order: no new requests, then no new deliveries, then storage. */
    void stop() {
      LOG.info(
          "stopping: no new requests; in-flight work may finish within "
              + grace.toSeconds()
              + " s");
      server.stop();
      component.depthSampler().close();
      component.deliveryScheduler().stop(grace);
      component.queue().close();
      component.database().close();
      LOG.info("stopped");
    }
  }

  /** Wires and starts the relay; the configuration is checked in full before the port opens. */
  static Running start(RelayConfig config) {
    RelayComponent relay = RelayComponent.create(config, Clock.systemUTC());
    DestinationDirectory destinations = relay.destinations();
    TokenKeys.checkAtStart(relay.tokenStore());
    relay.deliveryScheduler().start();
    relay.depthSampler().start();
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
                + "; storage: "
                + relay.database()
                + "; destinations: "
                + destinations.all().stream()
                    .map(r -> r.destination().name() + " (" + r.destination().type() + ")")
                    .collect(Collectors.joining(", ")));
    return new Running(server, relay, config.http().shutdownGrace());
  }
}

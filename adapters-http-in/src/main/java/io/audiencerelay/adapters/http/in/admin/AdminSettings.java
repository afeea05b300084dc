package io.audiencerelay.adapters.http.in.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * The admin listener: where it binds and who may use it. Bound to loopback by default, where anyone
 * on the machine may use it; bound elsewhere, it answers only requests that carry the token or the
 * Basic credentials, and refuses every request when none is configured.
 *
 * @param token a bearer token, or null; secret, never printed
 * @param user the Basic user, or null
 * @param password the Basic password, or null; secret, never printed
 * @param metricsOnProtocolPort keeps {@code GET /metrics} on the protocol port too, for scrapers
 *     set up before the admin listener existed
 */
public record AdminSettings(
    String host,
    int port,
    String token,
    String user,
    String password,
    boolean metricsOnProtocolPort) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9090;

  public AdminSettings {
    Objects.requireNonNull(host, "host");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("admin.user and admin.password go together");
    }
  }

  public static AdminSettings defaults() {
    return new AdminSettings(DEFAULT_HOST, DEFAULT_PORT, null, null, null, false);
  }

  public boolean hasCredentials() {
    return token != null || user != null;
  }

  /** Whether the listener is reachable only from this machine. */
  public boolean loopbackOnly() {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // A literal address only: no name lookup decides who may use the console.
      return isLiteral(host) && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  @Override
  public String toString() {
    return "AdminSettings[http://"
        + host
        + ":"
        + port
        + (token != null ? ", token=<redacted>" : "")
        + (user != null ? ", user=" + user + ", password=<redacted>" : "")
        + (metricsOnProtocolPort ? ", metrics also on the protocol port" : "")
        + "]";
  }
}

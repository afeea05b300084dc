package io.audiencerelay.adapters.http.in.admin;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is asking at the admin listener, or why nobody may. With credentials configured, a request
 * must carry the bearer token or the Basic credentials; without, the listener serves only when
 * bound to loopback, and refuses everyone otherwise.
 */
final class AdminAccess {
  /** The requester, named for the log, or the refusal. */
  sealed interface Verdict {
    record Allowed(String actor) implements Verdict {}

    /** No or wrong credentials: 401 with a Basic challenge, so a browser asks. */
    record Unauthenticated(String message) implements Verdict {}

    /** Bound beyond loopback with no credentials configured: 403 for everyone. */
    record Closed(String message) implements Verdict {}
  }

  private final AdminSettings settings;

  AdminAccess(AdminSettings settings) {
    this.settings = settings;
  }

  Verdict check(ServerRequest req) {
    if (!settings.hasCredentials()) {
      return settings.loopbackOnly()
          ? new Verdict.Allowed("loopback")
          : new Verdict.Closed(
              "The admin listener is bound to "
                  + settings.host()
                  + " without credentials, so it answers nobody: set admin.token, or admin.user"
                  + " and admin.password, or bind it to 127.0.0.1");
    }
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isPresent()) {
      String value = header.get();
      if (settings.token() != null
          && value.regionMatches(true, 0, "Bearer ", 0, 7)
          && same(value.substring(7).strip(), settings.token())) {
        return new Verdict.Allowed("token");
      }
      if (settings.user() != null && value.regionMatches(true, 0, "Basic ", 0, 6)) {
        String decoded;
        try {
          decoded =
              new String(
                  Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          decoded = "";
        }
        int colon = decoded.indexOf(':');
        if (colon >= 0) {
          String user = decoded.substring(0, colon);
          String password = decoded.substring(colon + 1);
          if (settings.user() != null
              && same(user, settings.user()) & same(password, settings.password())) {
            return new Verdict.Allowed("user " + settings.user());
          }
          // A browser can only prompt for Basic: the token as its password (any user) works too.
          if (settings.token() != null && same(password, settings.token())) {
            return new Verdict.Allowed("token");
          }
        }
      }
    }
    return new Verdict.Unauthenticated(
        "Credentials are required: "
            + (settings.token() != null
                ? "Authorization: Bearer <admin.token> (or Basic with it as the password)"
                : "")
            + (settings.token() != null && settings.user() != null ? ", or " : "")
            + (settings.user() != null ? "Basic admin.user and admin.password" : ""));
  }

  /** Compares in constant time, so the answer's timing tells nothing of the secret. */
  private static boolean same(String given, String expected) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}

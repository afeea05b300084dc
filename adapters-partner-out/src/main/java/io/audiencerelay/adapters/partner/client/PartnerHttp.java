package io.audiencerelay.adapters.partner.client;

import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The outbound client every partner shares: sends a request, never throws for a partner failure,
 * and classifies the answer. A partner's own error table runs first (for example Meta's throttling
 * codes that arrive as HTTP 400); then the common rules: 2xx ok; 408, 425, 429 and 5xx (but 501)
 * retry after the partner's requested delay; other 4xx refused. Logs name the method, the path and
 * the status, never a body, a header value or a secret query parameter.
 */
public final class PartnerHttp {
  private static final Logger LOG = Logger.getLogger(PartnerHttp.class.getName());
  private static final int REASON_BODY_CHARS = 300;

  /**
   * The largest answer read: the partners' documented answers are kilobytes, and an answer read
   * whole must not be able to exhaust the relay's memory.
   */
  public static final long MAX_ANSWER_BYTES = 8L << 20;

  private static final Set<String> SECRET_PARAMETERS =
      Set.of(
          "access_token",
          "token",
          "key",
          "api_key",
          "apikey",
          "secret",
          "signature",
          "sig",
          "code",
          "password",
          "client_secret",
          "refresh_token",
          "fb_exchange_token");

  /** A partner's answer, classified. */
  public sealed interface Answer {
    /** A 2xx answer with its body. */
    record Ok(int status, byte[] body, Headers headers) implements Answer {
      /** Only asked of an answer that was not the one expected. */
      @Override
      public String reason() {
        return "unexpected answer " + status;
      }
    }

    /** Worth trying again after {@code after} (zero when the partner did not say). */
    record Retry(Duration after, String reason) implements Answer {}

    /** Refused for good. */
    record Refused(int status, String reason) implements Answer {}

    /** Why the call did not give what was asked, for a message; secrets already left out. */
    String reason();

    /** The audience outcome a failed find, create or check means. */
    default AudienceOutcome toAudienceOutcome() {
      return switch (this) {
        case Retry retry -> new AudienceOutcome.Retry(retry.after(), retry.reason());
        case Refused refused -> new AudienceOutcome.Rejected(refused.reason());
        case Ok ok -> new AudienceOutcome.Retry(Duration.ZERO, ok.reason());
      };
    }

    /** The delivery outcome this answer means. */
    default DeliveryOutcome toDeliveryOutcome() {
      return switch (this) {
        case Ok ok -> DeliveryOutcome.ok();
        case Retry retry -> new DeliveryOutcome.Retry(retry.after(), retry.reason());
        case Refused refused -> new DeliveryOutcome.Rejected(refused.reason());
      };
    }
  }

  /** A partner's exceptions to the common rules; empty means "apply the common rules". */
  @FunctionalInterface
  public interface ErrorTable {
    Optional<Answer> classify(int status, String body, Headers headers, Duration requestedDelay);

    ErrorTable NONE = (status, body, headers, delay) -> Optional.empty();
  }

  private final OkHttpClient client;
  private final RetryDelays delays;
  private final String partner;

  /**
   * @param partner the partner's name, for log lines and reasons
   */
  public PartnerHttp(OkHttpClient client, RetryDelays delays, String partner) {
    // Whatever the client given, redirects are answered here, never followed (same pool).
    this.client = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
    this.delays = delays;
    this.partner = partner;
  }

  public Answer send(Request request, ErrorTable errors) {
    String call = request.method() + " " + redacted(request.url());
    try (Response response = client.newCall(request).execute()) {
      int status = response.code();
      if (status >= 300 && status < 400) {
        // Never followed: a redirect could carry the request, its signature or its token to
        // another host.
        return new Answer.Refused(
            status,
            partner
                + " answered "
                + status
                + " to "
                + call
                + " (a redirect, not followed: the relay only calls the configured address)");
      }
      byte[] body = readCapped(response);
      if (body == null) {
        return new Answer.Retry(
            Duration.ZERO,
            partner + " answered more than " + MAX_ANSWER_BYTES + " bytes to " + call);
      }
      if (LOG.isLoggable(Level.FINE)) {
        LOG.fine(partner + " " + call + " -> " + status);
      }
      Duration requested = delays.requested(response.headers()).orElse(Duration.ZERO);
      String text = new String(body, StandardCharsets.UTF_8);
      Optional<Answer> special = errors.classify(status, text, response.headers(), requested);
      if (special.isPresent()) {
        return special.get();
      }
      if (status >= 200 && status < 300) {
        return new Answer.Ok(status, body, response.headers());
      }
      String reason = partner + " answered " + status + " to " + call + summary(text);
      if (status == 408 || status == 425 || status == 429 || (status >= 500 && status != 501)) {
        return new Answer.Retry(requested, reason);
      }
      return new Answer.Refused(status, reason);
    } catch (IOException e) {
      LOG.log(Level.FINE, () -> partner + " " + call + " failed: " + e.getClass().getSimpleName());
      return new Answer.Retry(
          Duration.ZERO, partner + " unreachable on " + call + ": " + e.getClass().getSimpleName());
    }
  }

  /** The answer's body, or null when it is larger than {@link #MAX_ANSWER_BYTES}. */
  static byte[] readCapped(Response response) throws IOException {
    var body = response.body();
    if (body.contentLength() > MAX_ANSWER_BYTES) {
      return null;
    }
    var source = body.source();
    if (source.request(MAX_ANSWER_BYTES + 1)) {
      return null;
    }
    return source.readByteArray();
  }

  /** The URL with the values of secret-looking query parameters replaced, for logs and reasons. */
  static String redacted(HttpUrl url) {
    HttpUrl.Builder builder = url.newBuilder();
    for (String name : url.queryParameterNames()) {
      if (SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
        builder.setQueryParameter(name, "REDACTED");
      }
    }
    return builder.build().encodedPath()
        + (url.querySize() == 0 ? "" : "?" + builder.build().encodedQuery());
  }

  private static String summary(String body) {
    String trimmed = body.strip().replaceAll("\\s+", " ");
    if (trimmed.isEmpty()) {
      return "";
    }
    return ": "
        + (trimmed.length() > REASON_BODY_CHARS
            ? trimmed.substring(0, REASON_BODY_CHARS) + "..."
            : trimmed);
  }
}

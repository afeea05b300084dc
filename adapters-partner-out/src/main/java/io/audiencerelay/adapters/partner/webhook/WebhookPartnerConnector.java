package io.audiencerelay.adapters.partner.webhook;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.FeedSetting;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * POSTs each batch as JSON to a configured URL: the relay's own stable format (version 1, see this
 * package's README), with an {@code Idempotency-Key} per batch and, when a secret is set, {@code
 * X-Relay-Signature: sha256=<hex HMAC of the raw body>}. The URL may hold {@code {feed_id}}, {@code
 * {audience}} and {@code {target}} (a feed setting), filled URL-encoded per batch.
 */
public final class WebhookPartnerConnector implements PartnerConnector {
  public static final String TYPE = "webhook";
  public static final String FORMAT_VERSION = "1";
  static final int MAX_BATCH = 1_000;
  private static final MediaType JSON = MediaType.get("application/json");
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Pattern ENCODED_FEED = Pattern.compile("(?i)%7Bfeed_id%7D");
  private static final Pattern ENCODED_TARGET = Pattern.compile("(?i)%7Btarget%7D");
  private static final String TARGET = "{target}";
  private static final Pattern ENCODED_AUDIENCE = Pattern.compile("(?i)%7Baudience%7D");

  private final PartnerHttp http;

  public WebhookPartnerConnector(PartnerHttp http) {
    this.http = http;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> problems = new ArrayList<>();
    var template = destination.setting("url");
    if (template.isEmpty()) {
      problems.add("url is required (where batches are POSTed)");
    } else if (HttpUrl.parse(fill(template.get(), "feed", "audience", "target")) == null) {
      problems.add("url must be an http or https URL, got '" + template.get() + "'");
    } else if (!sameOrigin(
        HttpUrl.get(fill(template.get(), "feed", "audience", "target")),
        HttpUrl.get(fill(template.get(), "other-feed", "other-audience", "other-target")))) {
      problems.add(
          "url: {feed_id}, {audience} and {target} may only stand in the path or the query, not in"
              + " the host");
    }
    return problems;
  }

  /**
   * A URL naming {@code {target}} takes it from each feed's property {@code target} (or the
   * destination's default): one webhook destination can serve lists chosen on the platform.
   */
  @Override
  public List<FeedSetting> feedSettings(Destination destination) {
    return destination.setting("url").filter(url -> url.contains(TARGET)).isPresent()
        ? List.of(
            new FeedSetting(
                "target",
                true,
                FeedSetting.ReadAt.DELIVERY,
                "what the webhook URL's {target} stands for, for example a list id"))
        : List.of();
  }

  @Override
  public int maxBatchSize(Destination destination) {
    return MAX_BATCH;
  }

  /**
   * A webhook has no audience to create: the audience is named after the segment, the same every
   * time.
   */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String name = segment.defaultAudienceName();
    return new AudienceOutcome.Ready(new PartnerAudience(name, name));
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    byte[] body = body(audience, batch);
    String feedId = batch.segment().feedId().value();
    String target = destination.setting("target").orElse("");
    if (isDotSegment(feedId) || isDotSegment(audience.id()) || isDotSegment(target)) {
      // As a path segment it would climb the URL's path, encoded or not.
      return new DeliveryOutcome.Rejected(
          "a feed id, audience id or target of '.' or '..' cannot stand in the webhook URL");
    }
    HttpUrl url =
        HttpUrl.get(fill(destination.setting("url").orElseThrow(), feedId, audience.id(), target));
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .header("Idempotency-Key", batch.id())
            .header("X-Relay-Format-Version", FORMAT_VERSION)
            .post(RequestBody.create(body, JSON));
    destination
        .setting("secret")
        .ifPresent(secret -> request.header("X-Relay-Signature", signature(secret, body)));
    return http.send(request.build(), PartnerHttp.ErrorTable.NONE).toDeliveryOutcome();
  }

  /** {@code sha256=<lower-case hex HMAC-SHA256 of the body>}. */
  static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] body(PartnerAudience audience, MembershipBatch batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96 * batch.size() + 64);
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("audience", audience.id());
      json.writeStringField("batch_id", batch.id());
      json.writeArrayFieldStart("operations");
      for (MembershipChange change : batch.changes()) {
        json.writeStartObject();
        json.writeStringField("op", change.operation().wireName());
        json.writeArrayFieldStart("identifiers");
        for (UserIdentifier identifier : change.identifiers()) {
          json.writeStartObject();
          json.writeStringField("type", identifier.type());
          json.writeStringField("value", identifier.value());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON write failed", e);
    }
    return out.toByteArray();
  }

  /** Fills the placeholders, written plainly or URL-encoded ({@code %7Baudience%7D}). */
  private static boolean isDotSegment(String value) {
    return value.equals(".") || value.equals("..");
  }

  private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  /**
   * The URL with its placeholders replaced by their values, percent-encoded: a value can add
   * neither a path segment ({@code /}) nor a query parameter ({@code &}, {@code ?}).
   */
  private static String fill(String template, String feedId, String audience, String target) {
    String feed = URLEncoder.encode(feedId, StandardCharsets.UTF_8).replace("+", "%20");
    String aud = URLEncoder.encode(audience, StandardCharsets.UTF_8).replace("+", "%20");
    String tgt = URLEncoder.encode(target, StandardCharsets.UTF_8).replace("+", "%20");
    String filled = ENCODED_AUDIENCE.matcher(template).replaceAll(Matcher.quoteReplacement(aud));
    filled = ENCODED_FEED.matcher(filled).replaceAll(Matcher.quoteReplacement(feed));
    filled = ENCODED_TARGET.matcher(filled).replaceAll(Matcher.quoteReplacement(tgt));
    return filled.replace("{feed_id}", feed).replace("{audience}", aud).replace(TARGET, tgt);
  }
}

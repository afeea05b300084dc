package io.audiencerelay.adapters.partner.launchdarkly;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.audiencerelay.adapters.partner.http.PartnerHttp;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.audiencerelay.domain.AudienceOutcome;
import io.audiencerelay.domain.DeliveryOutcome;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.MembershipBatch;
import io.audiencerelay.domain.MembershipChange;
import io.audiencerelay.domain.MembershipOperation;
import io.audiencerelay.domain.PartnerAudience;
import io.audiencerelay.domain.UserIdentifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Pushes memberships into LaunchDarkly synced segments: {@code POST
 * /api/v2/segment-targets/{integration key}} with the boolean-membership body of the {@code
 * segment-audiences} integration (one member per change, {@code value} true to include, false to
 * exclude). LaunchDarkly creates the segment on the first sync. Built against the public
 * documentation and the reference fixtures; tested with MockWebServer.
 */
public final class LaunchDarklyPartnerConnector implements PartnerConnector {
  public static final String TYPE = "launchdarkly";
  static final String DEFAULT_BASE_URL = "https://app.launchdarkly.com";
  static final String DEFAULT_INTEGRATION = "segment-audiences";
  static final String API_VERSION = "20240415";
  static final int MAX_BATCH = 1_000;
  private static final Set<String> CONTEXT_KEYS =
      Set.of("USER_ACCOUNT", "USER_POINT", "USER_EMAIL");
  private static final MediaType JSON = MediaType.get("application/json");
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Duration CONFLICT_WAIT = Duration.ofSeconds(1);

  /** LaunchDarkly answers 409 when the segment is being changed concurrently: worth another try. */
  static final PartnerHttp.ErrorTable ERRORS =
      (status, body, headers, delay) ->
          status == 409
              ? Optional.of(
                  new PartnerHttp.Answer.Retry(
                      delay.isZero() ? CONFLICT_WAIT : delay,
                      "LaunchDarkly answered 409 (conflict)"))
              : Optional.empty();

  private final PartnerHttp http;

  public LaunchDarklyPartnerConnector(PartnerHttp http) {
    this.http = http;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> checkSettings(Destination destination) {
    List<String> problems = new ArrayList<>();
    if (destination.setting("access_token").isEmpty()) {
      problems.add("access_token is required (a LaunchDarkly access token with the Writer role)");
    }
    if (destination.setting("environment_id").isEmpty()) {
      problems.add("environment_id is required (the environment's client-side ID)");
    }
    String key = contextKeyType(destination);
    if (!CONTEXT_KEYS.contains(key)) {
      problems.add(
          "context_key must be one of USER_ACCOUNT, USER_POINT, USER_EMAIL, got '" + key + "'");
    }
    if (HttpUrl.parse(baseUrl(destination)) == null) {
      problems.add("base_url must be an http or https URL, got '" + baseUrl(destination) + "'");
    }
    return problems;
  }

  @Override
  public int maxBatchSize(Destination destination) {
    return MAX_BATCH;
  }

  /**
   * Only the identifier chosen as the destination's context key is usable (a user account id by
   * default).
   */
  @Override
  public boolean accepts(Destination destination, UserIdentifier identifier) {
    return identifier.type().equals(contextKeyType(destination));
  }

  /**
   * LaunchDarkly creates the synced segment on the first sync; the cohort id is stable per segment.
   */
  @Override
  public AudienceOutcome createAudience(Destination destination, ExternalSegment segment) {
    String cohort = segment.defaultAudienceName();
    return new AudienceOutcome.Ready(new PartnerAudience(cohort, cohort));
  }

  @Override
  public DeliveryOutcome deliver(
      Destination destination, PartnerAudience audience, MembershipBatch batch) {
    String keyType = contextKeyType(destination);
    byte[] body = body(destination, audience, batch, keyType);
    if (body == null) {
      return DeliveryOutcome.ok(); // nothing in this batch carries the context key: nothing to send
    }
    HttpUrl url =
        HttpUrl.get(baseUrl(destination))
            .newBuilder()
            .addPathSegments("api/v2/segment-targets")
            .addPathSegment(destination.setting("integration_key").orElse(DEFAULT_INTEGRATION))
            .build();
    Request request =
        new Request.Builder()
            .url(url)
            // LaunchDarkly takes the raw token, with no scheme word.
            .header("Authorization", destination.setting("access_token").orElseThrow())
            .header("LD-API-Version", API_VERSION)
            .post(RequestBody.create(body, JSON))
            .build();
    return http.send(request, ERRORS).toDeliveryOutcome();
  }

  /** The request body, or null when no change has an identifier of the context-key type. */
  static byte[] body(
      Destination destination, PartnerAudience audience, MembershipBatch batch, String keyType) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96 * batch.size() + 128);
    int members = 0;
    try (JsonGenerator json = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("environmentId", destination.setting("environment_id").orElseThrow());
      json.writeStringField("contextKind", destination.setting("context_kind").orElse("user"));
      json.writeArrayFieldStart("batch");
      for (MembershipChange change : batch.changes()) {
        for (UserIdentifier identifier : change.identifiers()) {
          if (identifier.type().equals(keyType)) {
            json.writeStartObject();
            json.writeStringField("userId", identifier.value());
            json.writeStringField("cohortId", audience.id());
            json.writeStringField("cohortName", audience.name());
            json.writeBooleanField("value", change.operation() == MembershipOperation.ADD);
            json.writeEndObject();
            members++;
            break;
          }
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory JSON write failed", e);
    }
    return members == 0 ? null : out.toByteArray();
  }

  private static String contextKeyType(Destination destination) {
    return destination
        .setting("context_key")
        .orElse("USER_ACCOUNT")
        .toUpperCase(java.util.Locale.ROOT);
  }

  private static String baseUrl(Destination destination) {
    return destination.setting("base_url").orElse(DEFAULT_BASE_URL);
  }
}

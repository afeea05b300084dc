package io.audiencerelay.adapters.partner.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.domain.Destination;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;

/** Addresses and requests of LinkedIn's versioned Marketing API: headers, account URN, answers. */
final class LinkedInApi {
  static final String DEFAULT_BASE_URL = "https://api.linkedin.com/rest";

  static final String DEFAULT_VERSION = "202610";

  /**
   * LinkedIn gives each Audiences partner its {@code sourcePlatform} value; STREAMING is the
   * schema's streaming value, used until the operator sets theirs.
   */
  static final String DEFAULT_SOURCE_PLATFORM = "STREAMING";

  static final String ACCOUNT_URN = "urn:li:sponsoredAccount:";

  static final MediaType JSON = MediaType.get("application/json");

  private LinkedInApi() {}

  static Request.Builder request(Destination destination, HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + destination.setting("access_token").orElseThrow())
        .header("LinkedIn-Version", version(destination))
        .header("X-Restli-Protocol-Version", "2.0.0");
  }

  static HttpUrl url(Destination destination, String... segments) {
    HttpUrl.Builder builder = HttpUrl.get(baseUrl(destination)).newBuilder();
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder.build();
  }

  static String baseUrl(Destination destination) {
    return destination.setting("base_url").orElse(DEFAULT_BASE_URL);
  }

  static String account(Destination destination) {
    return ACCOUNT_URN + destination.setting("ad_account_id").orElseThrow();
  }

  static String sourcePlatform(Destination destination) {
    return destination.setting("source_platform").orElse(DEFAULT_SOURCE_PLATFORM);
  }

  static String version(Destination destination) {
    return destination.setting("linkedin_version").orElse(DEFAULT_VERSION);
  }

  static JsonNode parse(ObjectMapper json, byte[] body) {
    try {
      return body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}

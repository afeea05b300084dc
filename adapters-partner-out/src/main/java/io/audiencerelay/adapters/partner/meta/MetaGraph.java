package io.audiencerelay.adapters.partner.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.domain.Destination;
import java.io.IOException;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** Addresses and requests on the Graph API: the host, the version, the token and the ad account. */
final class MetaGraph {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(MetaPartnerConnector.class.getName());
  static final String GRAPH_HOST = "https://graph.facebook.com";
  static final Pattern NAMES_A_VERSION = Pattern.compile(".*/v\\d+\\.\\d+/?$");

  private MetaGraph() {}

  static Request get(Destination destination, HttpUrl url) {
    return new Request.Builder()
        .url(url.newBuilder().setQueryParameter("access_token", token(destination)).build())
        .get()
        .build();
  }

  /**
   * The next page's URL when it is on the configured Graph host, else null: it is fetched with the
   * access token, which must never go to another host.
   */
  static HttpUrl sameHost(Destination destination, String next) {
    HttpUrl url = next == null ? null : HttpUrl.parse(next);
    HttpUrl base = HttpUrl.parse(baseUrl(destination));
    if (url == null || base == null) {
      return null;
    }
    if (!url.host().equals(base.host())
        || url.port() != base.port()
        || !url.scheme().equals(base.scheme())) {
      LOG.warning(() -> "Meta paging points to another host (" + url.host() + "): not followed");
      return null;
    }
    return url;
  }

  static HttpUrl url(Destination destination, String... segments) {
    HttpUrl.Builder builder = HttpUrl.get(baseUrl(destination)).newBuilder();
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder.build();
  }

  /** The Graph host ({@code base_url}, for a proxy or a test) and the graph_version. */
  static String baseUrl(Destination destination) {
    String host = destination.setting("base_url").orElse(GRAPH_HOST).replaceAll("/+$", "");
    return host + "/" + GraphVersion.of(destination);
  }

  static String token(Destination destination) {
    return destination.setting("access_token").orElseThrow();
  }

  static String adAccount(Destination destination) {
    return destination.setting("ad_account_id").orElseThrow().replaceFirst("^act_", "");
  }

  static JsonNode parse(ObjectMapper json, byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}

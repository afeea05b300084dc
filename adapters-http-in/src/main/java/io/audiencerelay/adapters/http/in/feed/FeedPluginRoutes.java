package io.audiencerelay.adapters.http.in.feed;

import io.audiencerelay.adapters.http.in.JsonBodies;
import io.audiencerelay.adapters.http.in.LogLevels;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Map;

/**
 * The mediarithmics audience-feed plugin protocol: every route of the official Node SDK, with its
 * status mapping, bodies and the {@code x-mics-next-msg-delay} header, served by one service per
 * resource group ({@link PluginRoutes}, {@link SegmentRoutes}, {@link UpdateRoutes}, {@link
 * AuthenticationRoutes}). Deviations from the SDK are deliberate and listed in docs/PROTOCOL.md
 * ("Protocol notes").
 */
public final class FeedPluginRoutes implements HttpService {
  public static final HeaderName NEXT_MSG_DELAY = HeaderNames.create("x-mics-next-msg-delay");

  /** Every protocol path, for metric labels. */
  public static final java.util.Set<String> PATHS =
      java.util.Set.of(
          "/v1/init",
          "/v1/status",
          "/v1/log_level",
          "/v1/metadata",
          "/v1/external_segment_creation",
          "/v1/external_segment_connection",
          "/v1/user_segment_update",
          "/v1/batch_update",
          "/v1/troubleshoot",
          "/v1/authentication_status_queries",
          "/v1/authentication",
          "/v1/logout",
          "/v1/dynamic_property_values_queries",
          "/v1/test_authentication",
          "/v1/oauth_redirect_url",
          "/metrics",
          "/mapp/diy",
          "/api/v2/segment-targets");

  private final HttpService[] services;

  /**
   * @param metadata the body of {@code GET /v1/metadata}
   * @param maxBodyBytes the largest body read, once decoded
   */
  public FeedPluginRoutes(
      FeedUseCases useCases,
      JsonBodies json,
      LogLevels logLevels,
      Map<String, Object> metadata,
      long maxBodyBytes) {
    FeedAnswers answers = new FeedAnswers(json);
    this.services =
        new HttpService[] {
          new PluginRoutes(useCases, json, answers, logLevels, metadata, maxBodyBytes),
          new SegmentRoutes(useCases, json, answers, maxBodyBytes),
          new UpdateRoutes(useCases, json, answers, maxBodyBytes),
          new AuthenticationRoutes(useCases, json, answers, maxBodyBytes)
        };
  }

  @Override
  public void routing(HttpRules rules) {
    rules.register(services);
  }
}

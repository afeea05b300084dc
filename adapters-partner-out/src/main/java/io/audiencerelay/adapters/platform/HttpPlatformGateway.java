package io.audiencerelay.adapters.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audiencerelay.application.port.out.PlatformGateway;
import io.audiencerelay.application.port.out.PlatformUnavailableException;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.Feed;
import io.audiencerelay.domain.FeedDestinationId;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The mediarithmics plugin gateway, as the official SDK calls it: HTTP Basic auth with the worker
 * id and token (sent up front), {@code {"status":"ok","data":...}} envelopes, 404 meaning "none".
 * Uncached: wrap it in {@link CachingPlatformGateway}. Error messages name the call and the status,
 * never the credentials.
 */
public final class HttpPlatformGateway implements PlatformGateway {
  /** The largest gateway answer read: a feed's resource and properties are kilobytes. */
  static final long MAX_ANSWER_BYTES = 8L << 20;

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient client;
  private final HttpUrl base;
  private final String authorization;
  private final ObjectMapper mapper;
  private final ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param base for example {@code http://plugin-gateway.platform:8080/}
   */
  public HttpPlatformGateway(
      OkHttpClient client,
      HttpUrl base,
      String workerId,
      String authenticationToken,
      ObjectMapper mapper) {
    this.client = client;
    this.base = base;
    this.authorization = Credentials.basic(workerId, authenticationToken);
    this.mapper = mapper;
  }

  @Override
  public Feed feed(FeedId feedId) {
    HttpUrl feedUrl = url("v1", "audience_segment_external_feeds", feedId.value());
    HttpUrl propertiesUrl =
        url("v1", "audience_segment_external_feeds", feedId.value(), "properties");
    // Both reads at once, as the SDK does: the instance context costs one round trip.
    CompletableFuture<JsonNode> properties =
        CompletableFuture.supplyAsync(() -> getData(propertiesUrl).orElse(null), parallel);
    JsonNode feed =
        getData(feedUrl)
            .orElseThrow(
                () ->
                    new PlatformUnavailableException(
                        "Feed " + feedId + " is unknown to the platform"));
    JsonNode propertyList;
    try {
      propertyList = properties.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof PlatformUnavailableException p
          ? p
          : new PlatformUnavailableException(
              "Could not read the properties of feed " + feedId, e.getCause());
    }
    return new Feed(feedId, text(feed.get("organisation_id")), properties(propertyList));
  }

  @Override
  public Optional<DestinationCredentials> credentials(FeedDestinationId destinationId) {
    return getData(url("v1", "feed_destinations", destinationId.value(), "credentials"))
        .map(
            data -> {
              Map<String, String> values = new HashMap<>();
              JsonNode credentials = data.get("credentials");
              if (credentials != null && credentials.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = credentials.fields();
                    it.hasNext(); ) {
                  var field = it.next();
                  if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                    values.put(field.getKey(), field.getValue().asText());
                  }
                }
              }
              String scheme = text(data.get("scheme"));
              return new DestinationCredentials(scheme == null ? "UNKNOWN" : scheme, values);
            });
  }

  @Override
  public void saveCredentials(FeedDestinationId destinationId, DestinationCredentials credentials) {
    ObjectNode body = mapper.createObjectNode();
    body.put("scheme", credentials.scheme());
    ObjectNode values = body.putObject("credentials");
    credentials.values().forEach(values::put);
    HttpUrl url = url("v1", "feed_destinations", destinationId.value(), "credentials");
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new PlatformUnavailableException("Could not encode credentials", e);
    }
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .post(RequestBody.create(bytes, JSON))
            .build();
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new PlatformUnavailableException(
            "Gateway answered " + response.code() + " to POST " + url.encodedPath());
      }
    } catch (IOException e) {
      throw unreachable("POST", url, e);
    }
  }

  /**
   * Downloads the file through the gateway's data-file route, as the SDK's {@code
   * fetchDataFile(uri)} does. Uncached: {@link CachingPlatformGateway} keeps it by uri and {@code
   * last_modified}.
   */
  @Override
  public DataFileSettings dataFileSettings(FeedProperty.DataFile file) {
    HttpUrl url =
        url("v1", "data_file", "data").newBuilder().addQueryParameter("uri", file.uri()).build();
    return getRaw(url, DataFiles.MAX_BYTES, null)
        .map(bytes -> DataFiles.settings(bytes, mapper))
        .orElseGet(
            () -> new DataFileSettings.Unusable("the platform has no data file at " + file.uri()));
  }

  /**
   * The plugin version's configuration file of that technical name (the SDK's {@code
   * fetchConfigurationFile}), or empty when the platform has none.
   *
   * @throws PlatformUnavailableException when the gateway cannot be read
   */
  public Optional<byte[]> configurationFile(String technicalName) {
    // The SDK puts "technical_name=" inside the path, not in a query string.
    HttpUrl url = url("v1", "configuration", "technical_name=" + technicalName);
    return getRaw(url, MAX_ANSWER_BYTES, null);
  }

  /**
   * The raw body of a GET, or empty on 404. A body longer than {@code limit} is cut one byte past
   * it, so that the caller can tell it was too large without holding more.
   */
  private Optional<byte[]> getRaw(HttpUrl url, long limit, String accept) {
    Request.Builder request = new Request.Builder().url(url).header("Authorization", authorization);
    if (accept != null) {
      request.header("Accept", accept);
    }
    try (Response response = client.newCall(request.get().build()).execute()) {
      if (response.code() == 404) {
        return Optional.empty();
      }
      if (!response.isSuccessful()) {
        throw new PlatformUnavailableException(
            "Gateway answered " + response.code() + " to GET " + url.encodedPath());
      }
      var source = response.body().source();
      return Optional.of(
          source.request(limit + 1) ? source.readByteArray(limit + 1) : source.readByteArray());
    } catch (IOException e) {
      throw unreachable("GET", url, e);
    }
  }

  /** The envelope's {@code data}, or empty on 404. */
  private Optional<JsonNode> getData(HttpUrl url) {
    Optional<byte[]> body = getRaw(url, MAX_ANSWER_BYTES, "application/json");
    if (body.isEmpty()) {
      return Optional.empty();
    }
    if (body.get().length > MAX_ANSWER_BYTES) {
      throw new PlatformUnavailableException(
          "Gateway answer to GET " + url.encodedPath() + " is larger than the relay reads");
    }
    try {
      JsonNode envelope = mapper.readTree(body.get());
      JsonNode data = envelope == null ? null : envelope.get("data");
      if (data == null || data.isNull()) {
        throw new PlatformUnavailableException(
            "Gateway answer to GET " + url.encodedPath() + " has no data");
      }
      return Optional.of(data);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new PlatformUnavailableException(
          "Gateway answer to GET " + url.encodedPath() + " is not JSON", e);
    } catch (IOException e) {
      throw unreachable("GET", url, e);
    }
  }

  private static PlatformUnavailableException unreachable(
      String method, HttpUrl url, IOException e) {
    return new PlatformUnavailableException(
        "Gateway unreachable on "
            + method
            + " "
            + url.encodedPath()
            + ": "
            + e.getClass().getSimpleName(),
        e);
  }

  private HttpUrl url(String... segments) {
    HttpUrl.Builder builder = base.newBuilder();
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder.build();
  }

  /** Properties by technical name, as the platform typed them. */
  static FeedProperties properties(JsonNode list) {
    return PluginProperties.read(list);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}

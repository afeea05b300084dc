package io.audiencerelay.adapters.http.in.synced;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * The presets' answer templates over any values a sender can put in them (the request body's
 * members, an error message, keys): the answer always renders and parses as JSON, and each string
 * comes out as the very string that went in. A value that broke out of its JSON string would fail
 * one or the other.
 */
class ResponseTemplateFuzzTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, ResponseTemplate> TEMPLATES =
      Map.of(
          "heap-inbound",
          new ResponseTemplate(SyncedSegmentPresets.response("heap-inbound").orElseThrow()),
          "example-synced-segment-integration2",
          new ResponseTemplate(
              SyncedSegmentPresets.response("example-synced-segment-integration2").orElseThrow()));

  @FuzzTest(maxDuration = "20s")
  void anAnswerTemplateRendersJsonWhateverTheValues(FuzzedDataProvider data) {
    String error = data.consumeString(200);
    String environment = data.consumeString(100);
    String segment = data.consumeString(100);
    String member = data.consumeRemainingAsString();
    Map<String, Object> context =
        Map.of(
            "requestBody",
            Map.of("environmentId", environment, "cohortName", member),
            "statusCode",
            400,
            "errorMessage",
            error,
            "projectKey",
            "default",
            "environmentKey",
            environment,
            "segmentKey",
            segment,
            "segmentUrl",
            "https://app.launchdarkly.com/default/production/segments/" + segment);
    TEMPLATES.forEach(
        (preset, template) -> {
          JsonNode answer =
              template
                  .render(context, JSON)
                  .orElseThrow(() -> new AssertionError(preset + ": the answer is not JSON"));
          if (!containsEveryValue(answer, error, segment)) {
            throw new AssertionError(preset + ": a value changed on its way in: " + answer);
          }
        });
  }

  /** Each value the template shows must come out whole, as one of the answer's strings. */
  private static boolean containsEveryValue(JsonNode answer, String... values) {
    String rendered = answer.toString();
    for (String value : values) {
      if (!value.isEmpty() && !rendered.contains(JSON.valueToTree(value).toString())) {
        return false;
      }
    }
    return true;
  }
}

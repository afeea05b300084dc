package io.audiencerelay.adapters.http.in.synced;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * A synced-segment sender's answer template (LaunchDarkly's {@code jsonResponseBody}), in
 * Handlebars. Unlike the reference, every value is escaped as a JSON string, in {@code {{x}}} and
 * {@code {{{x}}}} alike, and the result must parse as JSON: a request value can never break or
 * inject into the answer.
 */
public final class ResponseTemplate {
  private static final EscapingStrategy JSON_STRING =
      value -> {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
          char c = value.charAt(i);
          switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
              if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
              } else {
                out.append(c);
              }
            }
          }
        }
        return out;
      };

  private static final java.util.regex.Pattern TRIPLE_STASH =
      java.util.regex.Pattern.compile("\\{\\{\\{\\s*([^{}]+?)\\s*}}}");

  private final Template template;
  private final String source;

  /**
   * @throws IllegalArgumentException when the template does not compile
   */
  public ResponseTemplate(String source) {
    this.source = source;
    // Triple-stash is unescaped in Handlebars; here it is escaped like the double form.
    // What remains of "}}}" is a tag's "}}" then a JSON "}": Handlebars would read it as a
    // triple-stash close.
    String escapedEverywhere =
        TRIPLE_STASH.matcher(source).replaceAll("{{$1}}").replace("}}}", "}} }");
    try {
      this.template = new Handlebars().with(JSON_STRING).compileInline(escapedEverywhere);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "jsonResponseBody is not a valid template: " + e.getMessage());
    }
  }

  /**
   * The rendered answer, or empty when it does not come out as JSON (the caller then answers
   * without a body).
   */
  public Optional<JsonNode> render(Map<String, Object> context, ObjectMapper json) {
    try {
      return Optional.of(json.readTree(template.apply(context)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return source;
  }
}

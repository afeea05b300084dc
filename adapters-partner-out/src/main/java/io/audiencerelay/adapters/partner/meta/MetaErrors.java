package io.audiencerelay.adapters.partner.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.PartnerHttp.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Meta's error codes, read from the error object of an answer: rate limits (sent as HTTP 400), a
 * passing error, an expired token (190), and the answers that need a person in Business Manager: an
 * object Meta will not show (100/33: deleted, or not allowed), a permission error, a flagged
 * audience. The refusals carry a mark in their reason so callers can tell them apart.
 */
final class MetaErrors {
  private MetaErrors() {}

  /**
   * Rate limits that Meta sends as HTTP 400 with an error code (Marketing API error reference and
   * rate-limiting pages): 4 application, 17 user, 32 page, 341 application limit, 613 calls per
   * hour, 80004 ads-management calls to the ad account.
   */
  static final Set<Integer> THROTTLING_CODES = Set.of(4, 17, 32, 341, 613, 80004);

  /** Subcodes of those limits (17/2446079 user, 613/1487742 ad account). */
  static final Set<Integer> THROTTLING_SUBCODES = Set.of(2446079, 1487742);

  /** "An unknown error occurred" and "Service temporarily unavailable": worth another try. */
  static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2);

  /** Permission errors: 10 (application permission), 200 to 299 (permissions). */
  static boolean isPermissionCode(int code) {
    return code == 10 || (code >= 200 && code <= 299);
  }

  /**
   * Flagged audience (operation_status 471): memberships cannot change until someone resolves it.
   */
  static final int FLAGGED_AUDIENCE_SUBCODE = 1713230;

  static final Duration THROTTLED_WAIT = Duration.ofMinutes(1);

  /**
   * A permission or a flagged audience needs a person in Business Manager: ask again much later.
   */
  static final Duration NEEDS_A_PERSON_WAIT = Duration.ofMinutes(15);

  /** Marks, in a refusal's reason, the answers that need more than a retry of the same call. */
  static final String AMBIGUOUS = "(code 100, subcode 33)";

  static final String PERMISSION = "(permission error)";
  static final String FLAGGED = "(flagged audience)";

  /**
   * Meta's error codes first: rate limits arrive as 400; an expired or revoked token (190) needs a
   * new grant; 100/33 is ambiguous (the object is gone, or the token's system user may not see it),
   * and a permission error is not the users' fault: both are marked for the caller.
   */
  static PartnerHttp.ErrorTable table(ObjectMapper json) {
    return (status, body, headers, delay) -> {
      if (status < 400) {
        return Optional.empty();
      }
      JsonNode error = parseText(json, body).path("error");
      int code = error.path("code").asInt(-1);
      int subcode = error.path("error_subcode").asInt(-1);
      String message = error.path("message").asText("");
      if (THROTTLING_CODES.contains(code) || THROTTLING_SUBCODES.contains(subcode)) {
        return Optional.of(
            new Answer.Retry(
                delay.isZero() ? THROTTLED_WAIT : delay,
                "Meta throttled the call (code " + code + "): " + message));
      }
      if (TRANSIENT_CODES.contains(code)) {
        return Optional.of(
            new Answer.Retry(delay, "Meta had a passing error (code " + code + "): " + message));
      }
      if (code == 100 && subcode == 33) {
        return Optional.of(
            new Answer.Refused(
                status,
                "Meta answered "
                    + AMBIGUOUS
                    + ": the object does not exist, or the token's system user has no role on"
                    + " the ad account that owns it: "
                    + message));
      }
      if (subcode == FLAGGED_AUDIENCE_SUBCODE) {
        return Optional.of(
            new Answer.Refused(
                status,
                "Meta blocks this audience "
                    + FLAGGED
                    + ": resolve its restrictions in Audience Manager: "
                    + message));
      }
      if (isPermissionCode(code)) {
        return Optional.of(
            new Answer.Refused(
                status,
                "Meta refused the call "
                    + PERMISSION
                    + " (code "
                    + code
                    + "): give the token's user a role on the ad account: "
                    + message));
      }
      if (code == 190) {
        return Optional.of(
            new Answer.Refused(
                status, "Meta access token invalid or expired (code 190): " + message));
      }
      return Optional.empty();
    };
  }

  private static JsonNode parseText(ObjectMapper json, String body) {
    try {
      return body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}

package io.audiencerelay.adapters.partner.linkedin;

import io.audiencerelay.domain.Destination;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * A LinkedIn destination's settings: their checks at start, the numbers LinkedIn documents or
 * leaves open (elements per call, calls per member and minute), and the sunset of its
 * LinkedIn-Version.
 */
final class LinkedInSettings {
  /** The {@code type} of LinkedIn's "stream user data" flow. */
  static final String DEFAULT_SEGMENT_TYPE = "USER";

  /** Not in LinkedIn's documentation: RudderStack's and Segment's constant, a setting here. */
  static final int DEFAULT_BATCH = 5_000;

  static final int MAX_BATCH_SETTING = 10_000;

  /** The documented per-member limit of {@code /dmpSegments/{id}/users}: 600 calls a minute. */
  static final int DEFAULT_MEMBER_CALLS_PER_MINUTE = 600;

  /** LinkedIn sunsets a Marketing API version about a year after its release. */
  static final long VERSION_LIFE_MONTHS = 12;

  private static final Pattern VERSION = Pattern.compile("(\\d{4})(\\d{2})");

  private LinkedInSettings() {}

  static List<String> problems(Destination destination) {
    List<String> problems = new ArrayList<>(LinkedInOAuth.APP.problems(destination));
    if (destination.setting("ad_account_id").filter(id -> !id.matches("\\d+")).isPresent()) {
      problems.add(
          "ad_account_id must be the numeric sponsored account id, got '"
              + destination.setting("ad_account_id").orElseThrow()
              + "'");
    }
    if (HttpUrl.parse(LinkedInApi.baseUrl(destination)) == null) {
      problems.add("base_url must be an http or https URL");
    }
    if (!VERSION.matcher(LinkedInApi.version(destination)).matches()) {
      problems.add(
          "linkedin_version must be a LinkedIn-Version month like "
              + LinkedInApi.DEFAULT_VERSION
              + ", got '"
              + LinkedInApi.version(destination)
              + "'");
    }
    for (String key : List.of("source_platform", "segment_type")) {
      destination
          .setting(key)
          .filter(value -> !value.matches("[A-Z][A-Z0-9_]*"))
          .ifPresent(
              value ->
                  problems.add(
                      key + " must be an upper-case LinkedIn enum value, got '" + value + "'"));
    }
    number(destination, "batch_size", DEFAULT_BATCH, MAX_BATCH_SETTING).ifPresent(problems::add);
    number(
            destination,
            "member_calls_per_minute",
            DEFAULT_MEMBER_CALLS_PER_MINUTE,
            DEFAULT_MEMBER_CALLS_PER_MINUTE)
        .ifPresent(problems::add);
    return problems;
  }

  /** A problem with a whole-number setting between 1 and {@code max}, or empty. */
  static Optional<String> number(Destination destination, String key, int def, int max) {
    String value = destination.setting(key).orElse(Integer.toString(def));
    try {
      int number = Integer.parseInt(value);
      if (number >= 1 && number <= max) {
        return Optional.empty();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return Optional.of(key + " must be a whole number from 1 to " + max + ", got '" + value + "'");
  }

  static int number(Destination destination, String key, int def) {
    return destination.setting(key).map(Integer::parseInt).orElse(def);
  }

  /** A LinkedIn-Version about to be, or already, sunset (LinkedIn keeps one about a year). */
  static List<String> warnings(Destination destination, Clock clock) {
    Matcher version = VERSION.matcher(LinkedInApi.version(destination));
    if (!version.matches()) {
      return List.of();
    }
    YearMonth released =
        YearMonth.of(Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)));
    YearMonth now = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    YearMonth sunset = released.plusMonths(VERSION_LIFE_MONTHS);
    if (now.isBefore(sunset.minusMonths(1))) {
      return List.of();
    }
    return List.of(
        "linkedin_version "
            + version.group()
            + (now.isBefore(sunset) ? " is sunset next month" : " is probably sunset")
            + ": LinkedIn keeps a Marketing API version about a year (its migration page lists the"
            + " dates); use a recent month such as "
            + LinkedInApi.DEFAULT_VERSION);
  }
}

package io.audiencerelay.adapters.partner.meta;

import io.audiencerelay.domain.Destination;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Marketing API version a destination calls ({@code graph_version}), and whether Meta still
 * serves it. Meta removes a version on a published date; a call to a removed version is upgraded or
 * refused by Meta, so the relay warns at start rather than let deliveries fail later.
 */
final class GraphVersion {
  /** A current version: released 2026-07-29, no end date published yet (2026-12-04). */
  static final String DEFAULT = "v26.0";

  /**
   * End dates from Meta's "Marketing API version history" page, as read on 2026-12-04. v26.0
   * (2026-07-29) and v27.0 (2026-11-04) had no end date yet.
   */
  static final Map<Integer, LocalDate> ENDS =
      Map.of(
          21, LocalDate.of(2025, 9, 9),
          22, LocalDate.of(2026, 2, 19),
          23, LocalDate.of(2026, 6, 9),
          24, LocalDate.of(2026, 11, 10),
          25, LocalDate.of(2027, 2, 23));

  private static final int OLDEST_KNOWN = 21;
  private static final Pattern FORMAT = Pattern.compile("v(\\d{1,3})\\.(\\d{1,2})");

  private GraphVersion() {}

  static String of(Destination destination) {
    return destination.setting("graph_version").orElse(DEFAULT);
  }

  /** A problem with the setting, naming the key, or empty. */
  static Optional<String> problem(Destination destination) {
    String version = of(destination);
    return FORMAT.matcher(version).matches()
        ? Optional.empty()
        : Optional.of(
            "graph_version must look like "
                + DEFAULT
                + " (a Marketing API version), got '"
                + version
                + "'");
  }

  /** A warning when the configured version is past, or within 30 days of, its published end. */
  static Optional<String> warning(Destination destination, LocalDate today) {
    Matcher version = FORMAT.matcher(of(destination));
    if (!version.matches()) {
      return Optional.empty();
    }
    int major = Integer.parseInt(version.group(1));
    String name = version.group();
    if (major < OLDEST_KNOWN) {
      return Optional.of(
          "graph_version "
              + name
              + " is older than v21.0, which Meta removed on 2025-09-09: use "
              + DEFAULT
              + " or later");
    }
    LocalDate end = ENDS.get(major);
    if (end == null) {
      return Optional.empty();
    }
    if (!today.isBefore(end)) {
      return Optional.of(
          "graph_version "
              + name
              + " reached its end on "
              + end
              + " (Meta's Marketing API version history): Meta no longer serves it as such; use "
              + DEFAULT
              + " or later");
    }
    if (today.plusDays(30).isAfter(end)) {
      return Optional.of(
          "graph_version " + name + " ends on " + end + ": move to " + DEFAULT + " or later");
    }
    return Optional.empty();
  }
}

package io.audiencerelay.adapters.http.in.synced;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The twelve integrations that declare LaunchDarkly's synced-segment capability, by integration
 * key: each one's {@code requestParser} as its manifest writes it (the same keys a source's {@code
 * parser} takes in the configuration), and the answer the two that define one expect.
 */
public final class SyncedSegmentPresets {
  private SyncedSegmentPresets() {}

  /** Each preset's request parser, in the manifest's own words. */
  static final Map<String, Map<String, String>> MANIFESTS =
      Map.ofEntries(
          Map.entry(
              "amplitude",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/environmentId"),
                  Map.entry("cohortIdPath", "/batch/0/cohortId"),
                  Map.entry("cohortNamePath", "/batch/0/cohortName"),
                  Map.entry("cohortUrlPath", "/batch/0/cohortUrl"),
                  Map.entry("memberArrayPath", "/batch"),
                  Map.entry("memberArrayParser.memberIdPath", "/userId"),
                  Map.entry("memberArrayParser.booleanMembershipPath", "/value"),
                  Map.entry("memberArrayParser.cohortIdPath", "/cohortId"),
                  Map.entry("memberArrayParser.cohortNamePath", "/cohortName"))),
          Map.entry(
              "segment-audiences",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/environmentId"),
                  Map.entry("contextKindPath", "/contextKind"),
                  Map.entry("cohortIdPath", "/batch/0/cohortId"),
                  Map.entry("cohortNamePath", "/batch/0/cohortName"),
                  Map.entry("memberArrayPath", "/batch"),
                  Map.entry("memberArrayParser.memberIdPath", "/userId"),
                  Map.entry("memberArrayParser.booleanMembershipPath", "/value"),
                  Map.entry("memberArrayParser.cohortIdPath", "/cohortId"),
                  Map.entry("memberArrayParser.cohortNamePath", "/cohortName"))),
          Map.entry(
              "census-synced-segments",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/environment_id"),
                  Map.entry("contextKindPath", "/context_kind"),
                  Map.entry("cohortIdPath", "/batch/0/cohort_id"),
                  Map.entry("cohortNamePath", "/batch/0/cohort_name"),
                  Map.entry("memberArrayPath", "/batch"),
                  Map.entry("memberArrayParser.memberIdPath", "/user_id"),
                  Map.entry("memberArrayParser.booleanMembershipPath", "/value"),
                  Map.entry("memberArrayParser.cohortIdPath", "/cohort_id"),
                  Map.entry("memberArrayParser.cohortNamePath", "/cohort_name"))),
          Map.entry(
              "hightouch",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/environmentId"),
                  Map.entry("contextKindPath", "/contextKind"),
                  Map.entry("cohortIdPath", "/cohortId"),
                  Map.entry("cohortNamePath", "/cohortName"),
                  Map.entry("memberArrayPath", "/members"),
                  Map.entry("arrayInclusion.path", "/action"),
                  Map.entry("arrayInclusion.matcher", "^add$"),
                  Map.entry("memberArrayParser.memberIdPath", "/integration_distinct_id"))),
          Map.entry(
              "rudderstack",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/environmentId"),
                  Map.entry("contextKindPath", "/contextKind"),
                  Map.entry("cohortIdPath", "/cohortId"),
                  Map.entry("cohortNamePath", "/cohortName"),
                  Map.entry("cohortUrlPath", "/cohortUrl"),
                  Map.entry("addMemberArrayPath", "/listData/add"),
                  Map.entry("removeMemberArrayPath", "/listData/remove"),
                  Map.entry("memberArrayParser.memberIdPath", "/id"))),
          Map.entry(
              "heap-inbound",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/parameters/environment_id"),
                  Map.entry("cohortIdPath", "/heap/data/segment/id"),
                  Map.entry("cohortNamePath", "/heap/data/segment/name"),
                  Map.entry("addMemberArrayPath", "/heap/data/add"),
                  Map.entry("removeMemberArrayPath", "/heap/data/remove"),
                  Map.entry("memberArrayParser.memberIdPath", "/id"))),
          Map.entry(
              "fulcrum",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/environmentId"),
                  Map.entry("contextKindPath", "/contextKind"),
                  Map.entry("cohortIdPath", "/cohortId"),
                  Map.entry("cohortNamePath", "/cohortName"),
                  Map.entry("cohortUrlPath", "/cohortUrl"),
                  Map.entry("addMemberArrayPath", "/included/add"),
                  Map.entry("removeMemberArrayPath", "/included/remove"),
                  Map.entry("memberArrayParser.memberIdPath", "/id"))),
          Map.entry(
              "sumatra-synced-segments",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/environmentId"),
                  Map.entry("contextKindPath", "/contextKind"),
                  Map.entry("cohortIdPath", "/cohortId"),
                  Map.entry("cohortNamePath", "/cohortName"),
                  Map.entry("cohortUrlPath", "/cohortUrl"),
                  Map.entry("addMemberArrayPath", "/included/add"),
                  Map.entry("removeMemberArrayPath", "/included/remove"),
                  Map.entry("memberArrayParser.memberIdPath", "/id"))),
          Map.entry(
              "tealium-synced-segments",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/parameters/tealium_project_id"),
                  Map.entry("cohortIdPath", "/parameters/tealium_cohort_id"),
                  Map.entry("cohortNamePath", "/parameters/tealium_cohort_name"),
                  Map.entry("memberArrayPath", "/parameters/members"),
                  Map.entry("arrayInclusion.path", "/action"),
                  Map.entry("arrayInclusion.matcher", "^(add_member|remove_member)$"),
                  Map.entry("memberArrayParser.memberIdPath", "/member_id"))),
          Map.entry(
              "zeotap",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/parameters/integration_project_id"),
                  Map.entry("cohortIdPath", "/parameters/integration_cohort_id"),
                  Map.entry("cohortNamePath", "/parameters/integration_cohort_name"),
                  Map.entry("memberArrayPath", "/parameters/members"),
                  Map.entry("arrayInclusion.path", "/action"),
                  Map.entry("arrayInclusion.matcher", "^(members|add_members)$"),
                  Map.entry("memberArrayParser.memberIdPath", "/integration_distinct_id"))),
          Map.entry(
              "example-synced-segment-integration1",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/customer_config/fields/0/value/id"),
                  Map.entry("cohortIdPath", "/data/segment/id"),
                  Map.entry("cohortNamePath", "/data/segment/name"),
                  Map.entry("addMemberArrayPath", "/data/add"),
                  Map.entry("removeMemberArrayPath", "/data/remove"),
                  Map.entry("memberArrayParser.memberIdPath", "/id"))),
          Map.entry(
              "example-synced-segment-integration2",
              Map.ofEntries(
                  Map.entry("environmentIdPath", "/parameters/mixpanel_project_id"),
                  Map.entry("contextKindPath", "/contextKind"),
                  Map.entry("cohortIdPath", "/parameters/mixpanel_cohort_id"),
                  Map.entry("cohortNamePath", "/parameters/mixpanel_cohort_name"),
                  Map.entry("memberArrayPath", "/parameters/members"),
                  Map.entry("arrayInclusion.path", "/action"),
                  Map.entry("arrayInclusion.matcher", "^(members|add_members)$"),
                  Map.entry("memberArrayParser.memberIdPath", "/mixpanel_distinct_id"))));

  private static final Map<String, SyncedSegmentParser> PARSERS = parsers(MANIFESTS);

  /** The success-or-failure tail both manifest templates end with. */
  private static final String OUTCOME =
      "{{#if errorMessage}}\"status\":\"failure\",\"error\":{\"message\":\"{{{errorMessage}}}\","
          + "\"code\":{{statusCode}}}{{else}}\"status\":\"success\"{{/if}}}";

  private static final Map<String, String> RESPONSES =
      Map.of(
          "heap-inbound",
          "{\"projectId\":\"{{projectKey}}\",\"environmentId\":\"{{environmentKey}}\","
              + "\"segmentId\":\"{{segmentKey}}\",\"segmentUrl\":\"{{segmentUrl}}\","
              + OUTCOME,
          "example-synced-segment-integration2",
          "{\"environmentId\":\"{{requestBody.environmentId}}\","
              + "\"contextKind\":\"{{requestBody.contextKind}}\",\"projectKey\":\"{{projectKey}}\","
              + "\"envKey\":\"{{environmentKey}}\",\"segmentKey\":\"{{segmentKey}}\","
              + "\"segmentUrl\":\"{{segmentUrl}}\","
              + OUTCOME);

  /** The presets' parsers, by integration key. */
  public static Map<String, SyncedSegmentParser> parsers() {
    return PARSERS;
  }

  /**
   * The answer a preset's manifest defines ({@code jsonResponseBody}), for the two that define one:
   * their senders read it, so a preset answers it unless the source sets its own template.
   */
  public static Optional<String> response(String integrationKey) {
    return Optional.ofNullable(RESPONSES.get(integrationKey));
  }

  private static Map<String, SyncedSegmentParser> parsers(
      Map<String, Map<String, String>> manifests) {
    Map<String, SyncedSegmentParser> parsers = new TreeMap<>();
    manifests.forEach(
        (key, manifest) -> parsers.put(key, SyncedSegmentParser.fromSettings(manifest)));
    return Map.copyOf(parsers);
  }
}

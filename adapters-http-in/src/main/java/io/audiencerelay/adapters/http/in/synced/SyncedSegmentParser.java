package io.audiencerelay.adapters.http.in.synced;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where a synced-segments request keeps what the relay needs, as JSON pointers (RFC 6901), in one
 * of three modes: boolean (each member carries true or false), named arrays (an add array and a
 * remove array), or single action (one document-level value tested by a regex decides for every
 * member). The same rules as LaunchDarkly's manifest schema, checked when the parser is built.
 */
public record SyncedSegmentParser(
    String environmentIdPath,
    String contextKindPath,
    String cohortIdPath,
    String cohortNamePath,
    String cohortUrlPath,
    String memberArrayPath,
    String addMemberArrayPath,
    String removeMemberArrayPath,
    String inclusionPath,
    Pattern inclusionMatcher,
    String memberIdPath,
    String booleanMembershipPath,
    String memberCohortIdPath,
    String memberCohortNamePath) {

  /**
   * @throws IllegalArgumentException naming the rule that is broken
   */
  public SyncedSegmentParser {
    require(environmentIdPath, "environmentIdPath");
    require(cohortIdPath, "cohortIdPath");
    require(cohortNamePath, "cohortNamePath");
    require(memberIdPath, "memberArrayParser.memberIdPath");
    for (String pointer :
        new String[] {
          environmentIdPath,
          contextKindPath,
          cohortIdPath,
          cohortNamePath,
          cohortUrlPath,
          memberArrayPath,
          addMemberArrayPath,
          removeMemberArrayPath,
          inclusionPath,
          memberIdPath,
          booleanMembershipPath,
          memberCohortIdPath,
          memberCohortNamePath
        }) {
      if (pointer != null && !pointer.startsWith("/")) {
        throw new IllegalArgumentException(
            "'" + pointer + "' is not a JSON pointer (it must start with /)");
      }
    }
    boolean named = addMemberArrayPath != null || removeMemberArrayPath != null;
    if (named && (addMemberArrayPath == null || removeMemberArrayPath == null)) {
      throw new IllegalArgumentException(
          "addMemberArrayPath and removeMemberArrayPath go together");
    }
    if (named && (memberArrayPath != null || inclusionPath != null)) {
      throw new IllegalArgumentException("named arrays exclude memberArrayPath and arrayInclusion");
    }
    if ((inclusionPath == null) != (inclusionMatcher == null)) {
      throw new IllegalArgumentException("arrayInclusion needs both path and matcher");
    }
    if (!named && memberArrayPath == null) {
      throw new IllegalArgumentException(
          "one of memberArrayPath or addMemberArrayPath/removeMemberArrayPath is required");
    }
    if (memberArrayPath != null && (inclusionPath == null) == (booleanMembershipPath == null)) {
      throw new IllegalArgumentException(
          "memberArrayPath needs exactly one of arrayInclusion or memberArrayParser.booleanMembershipPath");
    }
  }

  private static void require(String pointer, String name) {
    if (pointer == null || pointer.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  /** One member's membership change, as read. */
  public record Member(String id, String cohortId, String cohortName, boolean included) {}

  /** A request read whole. */
  public record Parsed(
      String environmentId, String contextKind, String cohortUrl, List<Member> members) {}

  /** The request cannot be read; the message names the pointer at fault. */
  public static final class UnreadableException extends RuntimeException {
    UnreadableException(String message) {
      super(message, null, false, false);
    }
  }

  public Parsed parse(JsonNode root) {
    String environmentId = required(root, environmentIdPath);
    String contextKind = optional(root, contextKindPath);
    String cohortId = required(root, cohortIdPath);
    String cohortName = required(root, cohortNamePath);
    String cohortUrl = optional(root, cohortUrlPath);
    List<Member> members = new ArrayList<>();
    if (memberArrayPath != null) {
      Boolean all = null;
      if (inclusionPath != null) {
        JsonNode action = at(root, inclusionPath);
        if (action.isMissingNode() || action.isNull()) {
          throw new UnreadableException(
              "could not find path " + inclusionPath + " in request payload");
        }
        // A search, case-sensitive, as the reference's RegExp.test.
        all = inclusionMatcher.matcher(action.asText()).find();
      }
      for (JsonNode member : array(root, memberArrayPath, true)) {
        boolean included;
        if (all != null) {
          included = all;
        } else {
          JsonNode value = at(member, booleanMembershipPath);
          // false is a value, not an absence: removals work in boolean mode.
          if (!value.isBoolean()) {
            throw new UnreadableException(
                "membership at "
                    + booleanMembershipPath
                    + " must be true or false in every member");
          }
          included = value.booleanValue();
        }
        members.add(member(member, cohortId, cohortName, included));
      }
    } else {
      for (JsonNode member : array(root, addMemberArrayPath, false)) {
        members.add(member(member, cohortId, cohortName, true));
      }
      for (JsonNode member : array(root, removeMemberArrayPath, false)) {
        members.add(member(member, cohortId, cohortName, false));
      }
    }
    return new Parsed(
        environmentId, contextKind == null ? "user" : contextKind, cohortUrl, members);
  }

  private Member member(JsonNode member, String cohortId, String cohortName, boolean included) {
    String id = required(member, memberIdPath);
    String ownCohortId = optional(member, memberCohortIdPath);
    String ownCohortName = optional(member, memberCohortNamePath);
    return new Member(
        id,
        ownCohortId != null ? ownCohortId : cohortId,
        ownCohortName != null ? ownCohortName : cohortName,
        included);
  }

  private static List<JsonNode> array(JsonNode root, String pointer, boolean required) {
    JsonNode node = at(root, pointer);
    if (node.isMissingNode() || node.isNull()) {
      if (required) {
        throw new UnreadableException("could not find path " + pointer + " in request payload");
      }
      return List.of();
    }
    if (!node.isArray()) {
      throw new UnreadableException(
          "parsed value for member array " + pointer + " is not an array");
    }
    List<JsonNode> elements = new ArrayList<>(node.size());
    node.forEach(elements::add);
    return elements;
  }

  /**
   * A present, non-empty scalar: only a missing value, null or an empty string counts as absent.
   */
  private static String required(JsonNode root, String pointer) {
    String value = optional(root, pointer);
    if (value == null) {
      throw new UnreadableException("could not find path " + pointer + " in request payload");
    }
    return value;
  }

  private static String optional(JsonNode root, String pointer) {
    if (pointer == null) {
      return null;
    }
    JsonNode node = at(root, pointer);
    if (node.isMissingNode() || node.isNull() || !node.isValueNode()) {
      return null;
    }
    String text = node.asText();
    return text.isEmpty() ? null : text;
  }

  private static JsonNode at(JsonNode root, String pointer) {
    return root.at(JsonPointer.compile(pointer));
  }

  /**
   * Builds a parser from a manifest-style {@code requestParser} map (the relay's configuration).
   */
  public static SyncedSegmentParser fromSettings(Map<String, String> s) {
    Pattern matcher = null;
    if (s.get("arrayInclusion.matcher") != null) {
      try {
        matcher = Pattern.compile(s.get("arrayInclusion.matcher"));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "arrayInclusion.matcher is not a valid regex: " + e.getDescription());
      }
    }
    return new SyncedSegmentParser(
        s.get("environmentIdPath"),
        s.get("contextKindPath"),
        s.get("cohortIdPath"),
        s.get("cohortNamePath"),
        s.get("cohortUrlPath"),
        s.get("memberArrayPath"),
        s.get("addMemberArrayPath"),
        s.get("removeMemberArrayPath"),
        s.get("arrayInclusion.path"),
        matcher,
        s.get("memberArrayParser.memberIdPath"),
        s.get("memberArrayParser.booleanMembershipPath"),
        s.get("memberArrayParser.cohortIdPath"),
        s.get("memberArrayParser.cohortNamePath"));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SyncedSegmentParser p && Objects.equals(toString(), p.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}

package io.audiencerelay.adapters.http.in.synced;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Every preset's JSON-pointer parser over any JSON object a sender may post: members are read, or
 * the body is refused as unreadable (a 400); anything else thrown would be a 500.
 */
class SyncedSegmentFuzzTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "20s")
  void everyPresetReadsOrRefusesAnyObject(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException malformed) {
      return; // answered 400 before any parser runs
    }
    if (root == null || !root.isObject()) {
      return;
    }
    for (SyncedSegmentParser parser : SyncedSegmentPresets.parsers().values()) {
      try {
        parser.parse(root);
      } catch (SyncedSegmentParser.UnreadableException refused) {
        // A 400 naming the pointer.
      }
    }
  }
}

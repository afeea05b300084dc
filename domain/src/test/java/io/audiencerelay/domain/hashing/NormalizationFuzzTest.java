package io.audiencerelay.domain.hashing;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Identifier normalisation takes text from anyone who can post an update: whatever it is given, it
 * answers a value or nothing, never an exception. A bounded run of each target is in {@code
 * .ci/run}; see docs/RELIABILITY.md for the longer one.
 */
class NormalizationFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void emailsNormaliseOrAreRefusedQuietly(String raw) {
    Normalization.email(raw);
    Normalization.emailWithoutAnyWhitespace(raw);
    Normalization.gmailCanonical(raw);
  }

  @FuzzTest(maxDuration = "20s")
  void phoneNumbersNormaliseOrAreRefusedQuietly(String raw) {
    Normalization.phoneE164Digits(raw, "33");
    Normalization.phoneE164Digits(raw, "1");
  }
}

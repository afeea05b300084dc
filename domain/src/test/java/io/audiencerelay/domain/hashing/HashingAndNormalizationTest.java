package io.audiencerelay.domain.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import io.audiencerelay.domain.hashing.Hashing.Encoding;
import org.junit.jupiter.api.Test;

/** Known-answer vectors (digests computed independently with Python's hashlib). */
class HashingAndNormalizationTest {

  @Test
  void sha256KnownAnswersInHexAndBase64() {
    assertThat(Hashing.sha256("test@example.com", Encoding.HEX))
        .isEqualTo("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b");
    assertThat(Hashing.sha256("test@example.com", Encoding.BASE64))
        .isEqualTo("lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=");
    assertThat(Hashing.sha256("", Encoding.HEX))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Hashing.sha256("33612345678", Encoding.HEX))
        .isEqualTo("8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661");
  }

  @Test
  void emailsAreTrimmedAndLowerCasedBeforeHashing() {
    String normalized = Normalization.email("  Test@Example.COM \n").orElseThrow();

    assertThat(normalized).isEqualTo("test@example.com");
    assertThat(Hashing.sha256(normalized, Encoding.HEX))
        .isEqualTo("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b");
    assertThat(Normalization.email("not-an-email")).isEmpty();
    assertThat(Normalization.email("a@b@c")).isEmpty();
    assertThat(Normalization.emailWithoutAnyWhitespace(" jane doe@example.com "))
        .contains("janedoe@example.com");
  }

  @Test
  void gmailDotsAndPlusSuffixesAreDroppedOnlyForGmail() {
    assertThat(Normalization.gmailCanonical("Jane.Doe+ads@GoogleMail.com"))
        .contains("janedoe@gmail.com");
    assertThat(
            Hashing.sha256(
                Normalization.gmailCanonical("jane.doe@gmail.com").orElseThrow(), Encoding.HEX))
        .isEqualTo("d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69");
    assertThat(Normalization.gmailCanonical("jane.doe+x@example.com"))
        .contains("jane.doe+x@example.com");
    assertThat(Normalization.gmailCanonical("+only@gmail.com")).isEmpty();
  }

  @Test
  void phonesBecomeE164DigitsWithoutLeadingZeros() {
    assertThat(Normalization.phoneE164Digits("+33 6 12-34-56-78", null)).contains("33612345678");
    assertThat(Normalization.phoneE164Digits("0033 (6) 12 34 56 78", null)).contains("33612345678");
    assertThat(Normalization.phoneE164Digits("06 12 34 56 78", "33")).contains("33612345678");
    assertThat(Normalization.phoneE164Digits("06 12 34 56 78", null)).isEmpty();
    assertThat(Normalization.phoneE164Digits("+1 (650) 555-1234", null)).contains("16505551234");
    assertThat(
            Hashing.sha256(
                Normalization.phoneE164Digits("+1 650 555 1234", null).orElseThrow(), Encoding.HEX))
        .isEqualTo("6069d14bf122fdfd931dc7beb58e5dfbba395b1faf05bdcd42d12358d63d8599");
    assertThat(Normalization.phoneE164Digits("call me", "33")).isEmpty();
    assertThat(Normalization.phoneE164Digits("+1234", null)).isEmpty();
  }

  @Test
  void alreadyHashedValuesAreRecognisedAndReEncodedNotHashedTwice() {
    String hex = "973DFE463EC85785F5F95AF5BA3906EEDB2D931C24E69824A89EA65DBA4E813B";
    assertThat(Hashing.isSha256(hex)).isTrue();
    assertThat(Hashing.isSha256("lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=")).isTrue();
    assertThat(Hashing.isSha256("test@example.com")).isFalse();
    assertThat(Hashing.isMd5("5d41402abc4b2a76b9719d911017c592")).isTrue();
    assertThat(Hashing.sha256OrAsIs(hex, Encoding.HEX))
        .isEqualTo("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b");
    assertThat(Hashing.sha256OrAsIs(hex, Encoding.BASE64))
        .isEqualTo("lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=");
    assertThat(Hashing.sha256OrAsIs("lz3+Rj7IV4X1+Vr1ujkG7tstkxwk5pgkqJ6mXbpOgTs=", Encoding.HEX))
        .isEqualTo("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b");
    assertThat(Hashing.sha256OrAsIs("test@example.com", Encoding.HEX))
        .isEqualTo("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b");
  }
}

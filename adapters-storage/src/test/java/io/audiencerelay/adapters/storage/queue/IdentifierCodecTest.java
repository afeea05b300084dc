package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.domain.UserIdentifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifierCodecTest {

  @Test
  void writesTheCompactFormExactly() {
    String text =
        IdentifierCodec.encode(
            List.of(
                new UserIdentifier.UserPoint("4b1f6c8e"),
                new UserIdentifier.UserAccount("crm-2", null),
                new UserIdentifier.DeviceTechnicalId("MOBILE_ADVERTISING_ID", "mob:1", "12")));

    assertThat(text)
        .isEqualTo(
            "[[\"P\",\"4b1f6c8e\"],[\"A\",\"crm-2\",null],"
                + "[\"T\",\"MOBILE_ADVERTISING_ID\",\"mob:1\",\"12\"]]");
  }

  @Test
  void escapesQuotesAndBackslashesAsTheJsonGeneratorDid() {
    String text =
        IdentifierCodec.encode(
            List.of(new UserIdentifier.UserEmail(null, "a\"b\\cé😀@example.com")));

    assertThat(text).isEqualTo("[[\"E\",null,\"a\\\"b\\\\cé😀@example.com\"]]");
  }

  @Test
  void escapesABackslashOrAQuoteEvenWhenItIsTheOnlyCharacterToEscape() {
    // Values with nothing to escape are copied whole: each trigger must still send its value to the
    // encoder on its own.
    String text =
        IdentifierCodec.encode(
            List.of(
                new UserIdentifier.UserAgent("back\\slash"),
                new UserIdentifier.UserAgent("quo\"te"),
                new UserIdentifier.UserAgent("plain-é")));

    assertThat(text)
        .isEqualTo("[[\"G\",\"back\\\\slash\"],[\"G\",\"quo\\\"te\"]," + "[\"G\",\"plain-é\"]]");
  }

  @Test
  void readsBackWhatItWrote() {
    List<UserIdentifier> identifiers =
        List.of(
            new UserIdentifier.UserEmail("5d41402a", "Ünïcode \"quoted\"@example.com"),
            new UserIdentifier.UserAgent("vec:886742516"),
            new UserIdentifier.UserDevicePoint("device-77"),
            new UserIdentifier.ExternalUserId("MAPP_UUID", "6c1f2e9a-0b7d\\"));

    assertThat(IdentifierCodec.decode(IdentifierCodec.encode(identifiers))).isEqualTo(identifiers);
  }

  @Test
  void readsEveryJsonEscapeAsTheEarlierJacksonWriterMayHaveWrittenThem() {
    assertThat(IdentifierCodec.decode("[[\"E\",null,\"a\\/c\\u00e9\\\"\"],[\"G\",\"v\"]]"))
        .containsExactly(
            new UserIdentifier.UserEmail(null, "a/cé\""), new UserIdentifier.UserAgent("v"));
    assertThat(IdentifierCodec.decode("[]")).isEmpty();
  }

  @Test
  void aStoredIdentifierWithAControlCharacterNoLongerReadsAsOne() {
    // Stored before ids were checked for them: the queue dead-letters such a change by name.
    assertThatThrownBy(() -> IdentifierCodec.decode("[[\"E\",null,\"a\\nb\\t\"]]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("email must not contain control characters");
  }

  @Test
  void refusesTextThatIsNotTheStoredForm() {
    for (String broken :
        List.of(
            "",
            "[",
            "[[\"P\",\"x\"]",
            "[[\"P\"]]",
            "[[\"Q\",\"x\"]]",
            "[[\"P\",\"x\\q\"]]",
            "{}")) {
      assertThatThrownBy(() -> IdentifierCodec.decode(broken))
          .as(broken)
          .isInstanceOf(IllegalStateException.class);
    }
  }
}

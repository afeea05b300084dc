package io.audiencerelay.adapters.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers, from RFC 3629 (section 10) and Markus Kuhn's UTF-8 decoder stress test: the offset
 * of the first invalid byte, or -1.
 */
class Utf8Test {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // valid: ASCII, 2-, 3- and 4-byte forms, the edges of each range
    "41, -1",
    "c2a9, -1", // U+00A9
    "e282ac, -1", // U+20AC
    "f09f9880, -1", // U+1F600
    "7f, -1",
    "c280, -1", // U+0080, the first 2-byte character
    "dfbf, -1", // U+07FF
    "e0a080, -1", // U+0800, the first 3-byte character
    "ed9fbf, -1", // U+D7FF, just below the surrogates
    "ee8080, -1", // U+E000, just above them
    "efbfbf, -1", // U+FFFF
    "f0908080, -1", // U+10000
    "f48fbfbf, -1", // U+10FFFF, the last character
    "efbbbf7b7d, -1", // a byte order mark, then {}
    // invalid
    "ff, 0",
    "fe, 0",
    "80, 0", // a continuation byte alone
    "4180, 1",
    "c0af, 0", // overlong "/"
    "c1bf, 0", // overlong
    "e080af, 0", // overlong 3-byte "/"
    "f08080af, 0", // overlong 4-byte "/"
    "eda080, 0", // U+D800, a surrogate
    "edbfbf, 0", // U+DFFF
    "f4908080, 0", // U+110000, beyond the last character
    "f5808080, 0",
    "c3, 0", // a lead byte at the end
    "41e282, 1", // a 3-byte form cut short
    "e228a1, 0", // a continuation byte missing
    "f09f98, 0", // a 4-byte form cut short
    "c328, 0"
  })
  void findsTheFirstInvalidByte(String hex, int expected) {
    assertThat(Utf8.firstInvalid(HexFormat.of().parseHex(hex))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"plain ascii", "ça coûte 5 €", "中文 😀 ok"})
  void everyStringTheJdkEncodesIsValid(String text) {
    assertThat(Utf8.firstInvalid(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
  }
}

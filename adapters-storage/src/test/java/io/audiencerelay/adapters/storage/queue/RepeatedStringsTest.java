package io.audiencerelay.adapters.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RepeatedStringsTest {
  private final RepeatedStrings shared = new RepeatedStrings();

  @Test
  void theSameBytesGiveTheSameStringEvenAtAnotherOffsetInAnotherArray() {
    byte[] first = "xx84213".getBytes(StandardCharsets.UTF_8);
    byte[] second = "84213yy".getBytes(StandardCharsets.UTF_8);

    String a = shared.decode(first, 2, 5);
    String b = shared.decode(second, 0, 5);

    assertThat(a).isEqualTo("84213").isSameAs(b);
  }

  @Test
  void decodesUtf8AndKeepsValuesThatDifferApart() {
    byte[] bytes = "mics_ü6921mics_ü6922".getBytes(StandardCharsets.UTF_8);
    int half = bytes.length / 2;

    assertThat(shared.decode(bytes, 0, half)).isEqualTo("mics_ü6921");
    assertThat(shared.decode(bytes, half, half)).isEqualTo("mics_ü6922");
    assertThat(shared.decode(bytes, 0, 0)).isEmpty();
  }

  @Test
  void longValuesAreDecodedButNotShared() {
    byte[] bytes =
        "a".repeat(RepeatedStrings.MAX_SHARED_BYTES + 1).getBytes(StandardCharsets.UTF_8);

    String a = shared.decode(bytes, 0, bytes.length);
    String b = shared.decode(bytes, 0, bytes.length);

    assertThat(a).isEqualTo(b).isNotSameAs(b);
  }

  @Test
  void everyValueReadsBackCorrectlyWhenFarMoreValuesThanSlotsCollide() {
    Random random = new Random(7);
    for (int i = 0; i < 50_000; i++) {
      String value = Integer.toString(random.nextInt(20_000));
      byte[] bytes = ("#" + value).getBytes(StandardCharsets.UTF_8);
      assertThat(shared.decode(bytes, 1, bytes.length - 1)).isEqualTo(value);
    }
  }
}

package io.audiencerelay.adapters.http.in.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.adapters.http.in.NetworkAllowList;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkAllowListTest {
  static boolean allows(String block, String address) throws Exception {
    return new NetworkAllowList(List.of(NetworkAllowList.Block.parse(block)))
        .allows(InetAddress.getByName(address));
  }

  @Test
  void knownAnswers() throws Exception {
    assertThat(allows("10.0.0.0/8", "10.255.1.2")).isTrue();
    assertThat(allows("10.0.0.0/8", "11.0.0.1")).isFalse();
    assertThat(allows("192.168.1.0/24", "192.168.1.255")).isTrue();
    assertThat(allows("192.168.1.0/24", "192.168.2.0")).isFalse();
    assertThat(allows("192.168.1.7", "192.168.1.7")).isTrue();
    assertThat(allows("192.168.1.7", "192.168.1.8")).isFalse();
    assertThat(allows("0.0.0.0/0", "8.8.8.8")).isTrue();
    assertThat(allows("127.0.0.0/8", "::ffff:127.0.0.1")).isTrue();
    assertThat(allows("fd00::/8", "fd12:3456::1")).isTrue();
    assertThat(allows("fd00::/8", "fe80::1")).isFalse();
    assertThat(allows("10.0.0.0/8", "fd12::1")).isFalse();
    assertThat(NetworkAllowList.EVERYONE.allows(InetAddress.getByName("8.8.8.8"))).isTrue();
  }

  @Test
  void aWrongBlockSaysWhy() {
    assertThatThrownBy(() -> NetworkAllowList.Block.parse("example.com/8"))
        .hasMessageContaining("is not a CIDR block");
    assertThatThrownBy(() -> NetworkAllowList.Block.parse("10.0.0.0/33"))
        .hasMessageContaining("the prefix must be between 0 and 32");
    assertThatThrownBy(() -> NetworkAllowList.Block.parse("10.0.0.0/x"))
        .hasMessageContaining("the prefix must be a number");
  }
}

package io.audiencerelay.adapters.http.in;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The source networks the protocol port answers ({@code server.allowed_networks}), as CIDR blocks:
 * the platform sends no credentials, so a relay reachable from elsewhere may narrow who can post
 * updates. Empty allows everyone.
 */
public record NetworkAllowList(List<Block> blocks) {
  public static final NetworkAllowList EVERYONE = new NetworkAllowList(List.of());

  public NetworkAllowList {
    blocks = List.copyOf(blocks);
  }

  /** One CIDR block, for example {@code 10.0.0.0/8} or {@code ::1/128}. */
  public record Block(String text, byte[] network, int prefix) {
    /**
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static Block parse(String text) {
      String trimmed = text.strip();
      int slash = trimmed.indexOf('/');
      String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
      if (!address.matches("[0-9.]+") && !address.contains(":")) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a CIDR block (an IP address, then /prefix)");
      }
      byte[] bytes;
      try {
        bytes = InetAddress.getByName(address).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not a CIDR block");
      }
      int prefix;
      try {
        prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "': the prefix must be a number");
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException(
            "'" + text + "': the prefix must be between 0 and " + bytes.length * 8);
      }
      return new Block(trimmed, bytes, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int bits = address.length * 8;
      BigInteger mask =
          BigInteger.ONE
              .shiftLeft(bits)
              .subtract(BigInteger.ONE)
              .shiftRight(bits - prefix)
              .shiftLeft(bits - prefix);
      return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }
  }

  public boolean allowsEveryone() {
    return blocks.isEmpty();
  }

  /** Whether the address (IPv4-mapped IPv6 read as IPv4) falls in one of the blocks. */
  public boolean allows(InetAddress address) {
    if (blocks.isEmpty()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (bytes.length == 16 && isIpv4Mapped(bytes)) {
      bytes = java.util.Arrays.copyOfRange(bytes, 12, 16);
    }
    for (Block block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }
}

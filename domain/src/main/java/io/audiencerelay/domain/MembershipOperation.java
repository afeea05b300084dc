package io.audiencerelay.domain;

/** Whether users enter or leave a segment. */
public enum MembershipOperation {
  ADD,
  REMOVE;

  /** The wire name used in partner payloads and files: {@code add} or {@code remove}. */
  public String wireName() {
    return this == ADD ? "add" : "remove";
  }
}

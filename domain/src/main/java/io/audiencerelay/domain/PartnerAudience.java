package io.audiencerelay.domain;

/**
 * The audience a partner keeps for one external segment.
 *
 * @param id the partner's id of the audience
 * @param name the name the relay gave it
 */
public record PartnerAudience(String id, String name) {
  public PartnerAudience {
    id = Require.nonBlank(id, "partner audience id");
    name = Require.nonBlank(name, "partner audience name");
  }
}

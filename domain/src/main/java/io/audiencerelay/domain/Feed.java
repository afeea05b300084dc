package io.audiencerelay.domain;

/**
 * What the relay knows of one feed instance: the platform's instance context.
 *
 * @param organisationId the owning organisation, or null when unknown (static configuration)
 */
public record Feed(FeedId id, String organisationId, FeedProperties properties) {
  public Feed {
    Require.present(id, "feed id");
    organisationId = Require.optional(organisationId);
    Require.present(properties, "properties");
  }
}

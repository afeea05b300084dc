package io.audiencerelay.application.port.out;

/**
 * What a partner can answer beyond creating audiences and delivering: the authentication family of
 * the feed protocol. A destination that runs a partner OAuth flow ({@link PartnerConnector#oauth})
 * has the first four through the relay itself.
 */
public enum PartnerCapability {
  AUTHENTICATION_STATUS("authentication_status_queries"),
  AUTHENTICATION("authentication"),
  LOGOUT("logout"),
  OAUTH_REDIRECT_URL("oauth_redirect_url"),
  DYNAMIC_PROPERTY_VALUES("dynamic_property_values_queries"),
  TEST_AUTHENTICATION("test_authentication");

  private final String route;

  PartnerCapability(String route) {
    this.route = route;
  }

  /** The protocol route that asks for it, without {@code /v1/}. */
  public String route() {
    return route;
  }
}

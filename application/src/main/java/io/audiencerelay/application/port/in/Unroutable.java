package io.audiencerelay.application.port.in;

/**
 * The request cannot be matched to one destination: it names none that is configured, or several
 * could answer it and nothing in the request or the configuration chooses. A client error (400):
 * the message says which setting resolves it.
 */
public record Unroutable(String message)
    implements AuthenticationStatusResult,
        AuthenticationResult,
        LogoutResult,
        DynamicPropertyValuesResult,
        CredentialsTestResult,
        OAuthRedirectResult {
  public Unroutable {
    message = io.audiencerelay.domain.Require.nonBlank(message, "message");
  }
}

package io.audiencerelay.application.port.in;

/** The destination's partner does not offer this capability. */
public record NotImplemented(String message)
    implements TroubleshootResult,
        AuthenticationStatusResult,
        AuthenticationResult,
        LogoutResult,
        DynamicPropertyValuesResult,
        CredentialsTestResult,
        OAuthRedirectResult {
  public NotImplemented {
    message = io.audiencerelay.domain.Require.optional(message);
  }
}

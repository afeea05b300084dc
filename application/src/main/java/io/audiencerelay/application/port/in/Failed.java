package io.audiencerelay.application.port.in;

/**
 * The action could not be carried out. The message is safe to return to the platform.
 *
 * @param visibility whether the platform may show the message to its end user
 */
public record Failed(String message, io.audiencerelay.domain.Visibility visibility)
    implements SegmentCreationResult,
        SegmentConnectionResult,
        UserSegmentUpdateResult,
        TroubleshootResult,
        AuthenticationStatusResult,
        AuthenticationResult,
        LogoutResult,
        DynamicPropertyValuesResult,
        CredentialsTestResult,
        OAuthRedirectResult {
  public Failed {
    message = io.audiencerelay.domain.Require.nonBlank(message, "message");
    visibility = io.audiencerelay.domain.Require.present(visibility, "visibility");
  }

  public Failed(String message) {
    this(message, io.audiencerelay.domain.Visibility.PRIVATE);
  }
}

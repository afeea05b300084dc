package io.audiencerelay.application.port.in;

/** Answer to a test of a feed destination's stored credentials. */
public sealed interface CredentialsTestResult
    permits CredentialsTestResult.Valid,
        CredentialsTestResult.Invalid,
        Failed,
        NotImplemented,
        Unroutable {
  record Valid(String message) implements CredentialsTestResult {}

  /** The partner refused the credentials. */
  record Invalid(String message) implements CredentialsTestResult {}
}

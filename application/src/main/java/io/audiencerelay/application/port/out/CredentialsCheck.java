package io.audiencerelay.application.port.out;

/** What the partner made of stored credentials. */
public sealed interface CredentialsCheck {
  record Valid(String message) implements CredentialsCheck {}

  /** The partner refused them. */
  record Invalid(String message) implements CredentialsCheck {}
}

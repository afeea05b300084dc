package io.audiencerelay.application.port.in;

/** Answers a support action on an external segment. */
public interface TroubleshootUseCase {
  TroubleshootResult troubleshoot(TroubleshootCommand command);
}

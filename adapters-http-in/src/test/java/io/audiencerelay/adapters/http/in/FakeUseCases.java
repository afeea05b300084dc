package io.audiencerelay.adapters.http.in;

import io.audiencerelay.adapters.http.in.feed.FeedUseCases;
import io.audiencerelay.application.port.in.AuthenticateCommand;
import io.audiencerelay.application.port.in.AuthenticationResult;
import io.audiencerelay.application.port.in.AuthenticationStatusQuery;
import io.audiencerelay.application.port.in.AuthenticationStatusResult;
import io.audiencerelay.application.port.in.BatchUpdateCommand;
import io.audiencerelay.application.port.in.BatchUpdateResult;
import io.audiencerelay.application.port.in.CredentialsTestResult;
import io.audiencerelay.application.port.in.DynamicPropertyValuesQuery;
import io.audiencerelay.application.port.in.DynamicPropertyValuesResult;
import io.audiencerelay.application.port.in.LogoutCommand;
import io.audiencerelay.application.port.in.LogoutResult;
import io.audiencerelay.application.port.in.OAuthRedirectResult;
import io.audiencerelay.application.port.in.OAuthRedirectUrlQuery;
import io.audiencerelay.application.port.in.SegmentCommand;
import io.audiencerelay.application.port.in.SegmentConnectionResult;
import io.audiencerelay.application.port.in.SegmentCreationResult;
import io.audiencerelay.application.port.in.TroubleshootCommand;
import io.audiencerelay.application.port.in.TroubleshootResult;
import io.audiencerelay.application.port.in.UpdateUserSegmentCommand;
import io.audiencerelay.application.port.in.UserSegmentUpdateResult;
import io.audiencerelay.domain.FeedDestinationId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Use cases that answer whatever the test sets, and keep the last command they were given. */
public final class FakeUseCases {
  public final AtomicReference<Object> lastCommand = new AtomicReference<>();
  public volatile SegmentCreationResult creation;
  public volatile SegmentConnectionResult connection;
  public volatile UserSegmentUpdateResult update;
  public volatile BatchUpdateResult batch;

  /** Runs inside the batch use case before it answers: a test holds a request open with it. */
  public volatile Runnable batchGate = () -> {};

  public final List<List<UpdateUserSegmentCommand>> lines =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  public volatile java.util.function.Function<
          List<UpdateUserSegmentCommand>, List<UserSegmentUpdateResult>>
      linesAnswer =
          c ->
              c.stream()
                  .map(x -> (UserSegmentUpdateResult) new UserSegmentUpdateResult.Accepted())
                  .toList();
  public volatile TroubleshootResult troubleshoot;
  public volatile AuthenticationStatusResult authenticationStatus;
  public volatile AuthenticationResult authentication;
  public volatile LogoutResult logout;
  public volatile DynamicPropertyValuesResult dynamicValues;
  public volatile CredentialsTestResult credentialsTest;
  public volatile OAuthRedirectResult oauthRedirect;
  public volatile io.audiencerelay.application.port.in.CheckHealthUseCase.Health health =
      new io.audiencerelay.application.port.in.CheckHealthUseCase.Health.Serving();

  public FeedUseCases asUseCases() {
    return new FeedUseCases(
        (SegmentCommand c) -> record(c, creation),
        (SegmentCommand c) -> record(c, connection),
        (UpdateUserSegmentCommand c) -> record(c, update),
        (List<UpdateUserSegmentCommand> c) -> {
          lines.add(List.copyOf(c));
          return linesAnswer.apply(c);
        },
        (BatchUpdateCommand c) -> {
          batchGate.run();
          return record(c, batch);
        },
        (TroubleshootCommand c) -> record(c, troubleshoot),
        (AuthenticationStatusQuery c) -> record(c, authenticationStatus),
        (AuthenticateCommand c) -> record(c, authentication),
        (LogoutCommand c) -> record(c, logout),
        (DynamicPropertyValuesQuery c) -> record(c, dynamicValues),
        (FeedDestinationId c) -> record(c, credentialsTest),
        (OAuthRedirectUrlQuery c) -> record(c, oauthRedirect),
        () -> health);
  }

  @SuppressWarnings("unchecked")
  public <T> T last() {
    return (T) lastCommand.get();
  }

  private <T> T record(Object command, T answer) {
    lastCommand.set(command);
    if (answer == null) {
      throw new IllegalStateException(
          "the test set no answer for " + command.getClass().getSimpleName());
    }
    return answer;
  }
}

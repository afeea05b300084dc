package io.audiencerelay.application.fakes;

import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.OAuthProvider;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.PartnerTokens;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A partner's OAuth endpoints with scripted answers, counting what the relay asked. */
public final class ScriptedOAuthProvider implements OAuthProvider {
  public volatile GrantOutcome exchangeAnswer;
  public volatile GrantOutcome refreshAnswer;
  public final List<String> exchangedCodes = new CopyOnWriteArrayList<>();
  public final AtomicInteger refreshes = new AtomicInteger();

  /** When set, a refresh waits for it, so a test can pile up concurrent callers first. */
  public volatile CountDownLatch refreshGate;

  @Override
  public String authorizationUrl(Destination destination, String state) {
    return "https://partner.example/oauth/authorize?client_id=relay&state=" + state;
  }

  @Override
  public GrantOutcome exchangeCode(Destination destination, String code) {
    exchangedCodes.add(code);
    return exchangeAnswer;
  }

  @Override
  public GrantOutcome refresh(Destination destination, PartnerTokens grant) {
    refreshes.incrementAndGet();
    CountDownLatch gate = refreshGate;
    if (gate != null) {
      try {
        if (!gate.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the refresh gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return refreshAnswer;
  }
}

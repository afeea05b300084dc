package io.audiencerelay.application.port.out;

import java.util.Map;

/** Whether a platform user is logged in to the partner, as a partner with its own login says. */
public sealed interface LoginState {
  record LoggedIn(Map<String, Object> data) implements LoginState {
    public LoggedIn {
      data = Map.copyOf(data);
    }
  }

  /**
   * @param loginUrl where the user logs in, or null when the partner has none
   */
  record LoggedOut(String loginUrl, String message) implements LoginState {}
}

package io.audiencerelay.adapters.partner.client;

import io.audiencerelay.domain.Destination;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * The settings of a partner app a destination may log users in with, instead of a fixed token:
 * which keys name the app, and what is wrong with them.
 *
 * @param keys the settings that together name the app, for example client_id, client_secret and
 *     redirect_uri
 * @param urlKeys settings that must be http(s) URLs when set
 * @param login what the partner calls its login, for messages ("LinkedIn login")
 * @param fixedToken what a fixed {@code access_token} must be, for messages
 */
public record OAuthApp(List<String> keys, List<String> urlKeys, String login, String fixedToken) {
  public OAuthApp {
    keys = List.copyOf(keys);
    urlKeys = List.copyOf(urlKeys);
  }

  /** The setting naming the platform user whose login delivers to the destination. */
  public static final String USER_SETTING = "oauth_user_id";

  /** Whether the destination names an app: any of its keys is set. */
  public boolean namedBy(Destination destination) {
    return keys.stream().anyMatch(key -> destination.setting(key).isPresent());
  }

  /** Problems with the token or app settings, each naming the key. */
  public List<String> problems(Destination destination) {
    List<String> problems = new ArrayList<>();
    boolean named = namedBy(destination);
    if (named) {
      for (String key : keys) {
        if (destination.setting(key).isEmpty()) {
          problems.add(
              key + " is required for the " + login + " (" + String.join(", ", keys) + ")");
        }
      }
    }
    for (String key : urlKeys) {
      if (destination.setting(key).filter(url -> HttpUrl.parse(url) == null).isPresent()) {
        problems.add(key + " must be an http or https URL");
      }
    }
    boolean hasUser = destination.setting(USER_SETTING).isPresent();
    if (destination.setting("access_token").isEmpty() && !hasUser) {
      problems.add(
          "access_token ("
              + fixedToken
              + ") or "
              + USER_SETTING
              + " (the platform user whose "
              + login
              + " the relay keeps) is required");
    }
    if (hasUser && !named) {
      problems.add(USER_SETTING + " needs " + String.join(", ", keys));
    }
    return problems;
  }
}

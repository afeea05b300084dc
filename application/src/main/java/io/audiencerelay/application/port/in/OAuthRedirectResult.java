package io.audiencerelay.application.port.in;

/** The partner login URL for a feed destination. */
public sealed interface OAuthRedirectResult
    permits OAuthRedirectResult.LoginUrl, Failed, NotImplemented, Unroutable {
  record LoginUrl(String url) implements OAuthRedirectResult {
    public LoginUrl {
      url = io.audiencerelay.domain.Require.nonBlank(url, "login_url");
    }
  }
}

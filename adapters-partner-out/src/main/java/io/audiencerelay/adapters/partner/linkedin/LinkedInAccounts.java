package io.audiencerelay.adapters.partner.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.PartnerHttp.Answer;
import io.audiencerelay.application.port.out.AccountChoices;
import io.audiencerelay.application.port.out.CredentialsCheck;
import io.audiencerelay.application.port.out.GrantOutcome;
import io.audiencerelay.application.port.out.PartnerAnswer;
import io.audiencerelay.application.port.out.UserRequest;
import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationCredentials;
import io.audiencerelay.domain.PartnerTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The member behind a login and their sponsored accounts: the roles that may write segments, the
 * {@code ad_account_id} choices, and the test of a stored grant.
 */
final class LinkedInAccounts {
  /** Each choice costs one call for its name; a member rarely has more accounts than this. */
  static final int MAX_ACCOUNT_CHOICES = 50;

  private final PartnerHttp http;
  private final ObjectMapper json;
  private final LinkedInOAuth oauth;

  LinkedInAccounts(PartnerHttp http, ObjectMapper json, LinkedInOAuth oauth) {
    this.http = http;
    this.json = json;
    this.oauth = oauth;
  }

  /**
   * Tests the feed destination's stored grant: its refresh token must still buy an access token,
   * and that member must hold a role other than VIEWER on the destination's ad account.
   */
  PartnerAnswer<CredentialsCheck> testAuthentication(
      Destination destination, DestinationCredentials credentials) {
    String refreshToken = credentials.values().get("refresh_token");
    if (!LinkedInOAuth.APP.namedBy(destination) || refreshToken == null) {
      return PartnerAnswer.notOffered();
    }
    return switch (oauth.refresh(destination, new PartnerTokens(null, refreshToken, null, null))) {
      case GrantOutcome.Revoked revoked ->
          PartnerAnswer.given(
              new CredentialsCheck.Invalid("LinkedIn refused the grant: " + revoked.reason()));
      case GrantOutcome.Unavailable unavailable ->
          PartnerAnswer.unavailable(
              "LinkedIn could not check the grant now: " + unavailable.reason());
      case GrantOutcome.Granted granted -> {
        Destination withToken =
            destination.withSetting("access_token", granted.tokens().accessToken());
        if (destination.setting("ad_account_id").isEmpty()) {
          // Each feed names its own account: there is no destination account to check a role on.
          yield PartnerAnswer.given(
              new CredentialsCheck.Valid("LinkedIn grant valid (each feed sets its ad account)"));
        }
        String account = LinkedInApi.account(destination);
        Optional<String> role = roles(withToken).map(roles -> roles.get(account));
        if (role.isEmpty()) {
          yield PartnerAnswer.unavailable("LinkedIn did not list the member's ad account roles");
        }
        yield role.get() == null || role.get().equals("VIEWER")
            ? PartnerAnswer.<CredentialsCheck>given(
                new CredentialsCheck.Invalid(
                    "This LinkedIn login cannot write to ad account "
                        + destination.setting("ad_account_id").orElseThrow()
                        + (role.get() == null ? " (no role)" : " (VIEWER role)")))
            : PartnerAnswer.given(
                new CredentialsCheck.Valid(
                    "LinkedIn grant valid, role " + role.get() + " on the ad account"));
      }
    };
  }

  /** The member's role on each sponsored account they can see, by account URN. */
  private Optional<Map<String, String>> roles(Destination destination) {
    HttpUrl url =
        LinkedInApi.url(destination, "adAccountUsers")
            .newBuilder()
            .addQueryParameter("q", "authenticatedUser")
            .build();
    if (!(http.send(
            LinkedInApi.request(destination, url).get().build(), PartnerHttp.ErrorTable.NONE)
        instanceof Answer.Ok ok)) {
      return Optional.empty();
    }
    Map<String, String> roles = new LinkedHashMap<>();
    for (JsonNode element : LinkedInApi.parse(json, ok.body()).path("elements")) {
      roles.put(element.path("account").asText(""), element.path("role").asText(""));
    }
    return Optional.of(roles);
  }

  /**
   * The sponsored accounts the member may write to ({@code ad_account_id} choices): every account
   * where LinkedIn gives them a role other than VIEWER, named by LinkedIn.
   */
  PartnerAnswer<AccountChoices> dynamicPropertyValues(
      Destination destination, UserRequest query, Optional<DestinationCredentials> credentials) {
    if (destination.setting("access_token").isEmpty()) {
      return PartnerAnswer.unavailable("No LinkedIn login to list ad accounts with");
    }
    Optional<Map<String, String>> roles = roles(destination);
    if (roles.isEmpty()) {
      return PartnerAnswer.unavailable("LinkedIn did not list the ad accounts of this login");
    }
    List<AccountChoices.Choice> choices = new ArrayList<>();
    for (Map.Entry<String, String> entry : roles.get().entrySet()) {
      if (!entry.getKey().startsWith(LinkedInApi.ACCOUNT_URN)
          || entry.getValue().equals("VIEWER")) {
        continue; // a viewer cannot write segments
      }
      String id = entry.getKey().substring(LinkedInApi.ACCOUNT_URN.length());
      choices.add(new AccountChoices.Choice(accountName(destination, id) + " (" + id + ")", id));
      if (choices.size() == MAX_ACCOUNT_CHOICES) {
        break;
      }
    }
    if (choices.isEmpty()) {
      return PartnerAnswer.given(
          new AccountChoices.NoneFor(
              "This LinkedIn login can write to no ad account (a VIEWER role cannot)"));
    }
    return PartnerAnswer.given(
        new AccountChoices.Offered(List.of(new AccountChoices.Property("ad_account_id", choices))));
  }

  private String accountName(Destination destination, String id) {
    Answer answer =
        http.send(
            LinkedInApi.request(destination, LinkedInApi.url(destination, "adAccounts", id))
                .get()
                .build(),
            PartnerHttp.ErrorTable.NONE);
    String name =
        answer instanceof Answer.Ok ok
            ? LinkedInApi.parse(json, ok.body()).path("name").asText("")
            : "";
    return name.isBlank() ? "Ad account" : name;
  }
}

package io.audiencerelay.application.service.admin;

import io.audiencerelay.application.port.in.admin.ListGrantsUseCase;
import io.audiencerelay.application.port.out.TokenStore;
import java.util.ArrayList;
import java.util.List;

/** The stored partner grants and when they end; the tokens themselves never leave the store. */
public final class GrantListService implements ListGrantsUseCase {
  private final TokenStore tokens;

  public GrantListService(TokenStore tokens) {
    this.tokens = tokens;
  }

  @Override
  public List<GrantStatus> grants() {
    List<GrantStatus> grants = new ArrayList<>();
    for (TokenStore.TokenKey key : tokens.keys()) {
      grants.add(
          switch (tokens.read(key)) {
            case TokenStore.StoredGrant.Present present ->
                new GrantStatus(
                    key.destination(),
                    key.subject(),
                    present.tokens().refreshToken() != null,
                    present.tokens().accessExpiresAt(),
                    present.tokens().refreshExpiresAt(),
                    null);
            case TokenStore.StoredGrant.Unreadable unreadable ->
                new GrantStatus(
                    key.destination(), key.subject(), false, null, null, unreadable.reason());
            case TokenStore.StoredGrant.Absent absent ->
                new GrantStatus(
                    key.destination(), key.subject(), false, null, null, "deleted meanwhile");
          });
    }
    return grants;
  }
}

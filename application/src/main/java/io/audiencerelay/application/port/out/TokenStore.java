package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.Require;
import java.util.Optional;

/** Partner grants, kept secret at rest. */
public interface TokenStore {

  /** Stores the grant, replacing any earlier one for the same key. */
  void save(TokenKey key, PartnerTokens tokens);

  /** The stored grant, none, or one stored in a form this relay cannot read (its key is gone). */
  StoredGrant read(TokenKey key);

  /** The stored grant when there is a readable one. */
  default Optional<PartnerTokens> find(TokenKey key) {
    return read(key) instanceof StoredGrant.Present present
        ? Optional.of(present.tokens())
        : Optional.empty();
  }

  /** Whose grants are stored, at every destination. */
  java.util.List<TokenKey> keys();

  /** Forgets the grant; nothing happens when there is none. */
  void delete(TokenKey key);

  /** What a read found. */
  sealed interface StoredGrant {
    record Present(PartnerTokens tokens) implements StoredGrant {
      public Present {
        Require.present(tokens, "tokens");
      }
    }

    record Absent() implements StoredGrant {}

    /**
     * A grant is stored but does not open: sealed with a key no longer configured, or altered.
     *
     * @param reason says which, without any secret
     */
    record Unreadable(String reason) implements StoredGrant {
      public Unreadable {
        reason = Require.nonBlank(reason, "reason");
      }
    }
  }

  /**
   * Whose grant, at which destination.
   *
   * @param subject the platform user or feed destination the grant belongs to
   */
  record TokenKey(DestinationName destination, String subject) {
    public TokenKey {
      Require.present(destination, "destination");
      subject = Require.nonBlank(subject, "subject");
    }
  }
}

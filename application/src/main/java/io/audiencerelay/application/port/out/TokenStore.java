package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.PartnerTokens;
import io.audiencerelay.domain.Require;
import java.util.Optional;

/** Partner grants, kept secret at rest. */
public interface TokenStore {

  /** Stores the grant, replacing any earlier one for the same key. */
  void save(TokenKey key, PartnerTokens tokens);

  Optional<PartnerTokens> find(TokenKey key);

  /** Forgets the grant; nothing happens when there is none. */
  void delete(TokenKey key);

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

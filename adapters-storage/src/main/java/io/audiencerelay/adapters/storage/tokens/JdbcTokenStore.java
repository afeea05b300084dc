package io.audiencerelay.adapters.storage.tokens;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.PartnerTokens;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Partner grants in the relay's database, sealed with {@link TokenCipher}: the database never holds
 * a token in clear.
 */
public final class JdbcTokenStore implements TokenStore {
  private static final JsonFactory JSON = new JsonFactory();

  private final Jdbc jdbc;
  private final TokenCipher cipher;
  private final Clock clock;

  public JdbcTokenStore(Database database, TokenCipher cipher, Clock clock) {
    this.jdbc = new Jdbc(database);
    this.cipher = cipher;
    this.clock = clock;
  }

  @Override
  public void save(TokenKey key, PartnerTokens tokens) {
    TokenCipher.Sealed sealed = cipher.seal(encode(tokens), associatedData(key));
    jdbc.update(
        "INSERT INTO partner_token (destination, subject, key_id, sealed, updated_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (destination, subject) DO UPDATE SET key_id = excluded.key_id,"
            + " sealed = excluded.sealed, updated_at = excluded.updated_at",
        statement -> {
          statement.setString(1, key.destination().value());
          statement.setString(2, key.subject());
          statement.setString(3, sealed.keyId());
          statement.setBytes(4, sealed.bytes());
          statement.setLong(5, clock.millis());
        });
  }

  @Override
  public StoredGrant read(TokenKey key) {
    Optional<TokenCipher.Sealed> sealed =
        jdbc.query(
            "SELECT key_id, sealed FROM partner_token WHERE destination = ? AND subject = ?",
            statement -> {
              statement.setString(1, key.destination().value());
              statement.setString(2, key.subject());
            },
            rows ->
                rows.next()
                    ? Optional.of(new TokenCipher.Sealed(rows.getString(1), rows.getBytes(2)))
                    : Optional.empty());
    if (sealed.isEmpty()) {
      return new StoredGrant.Absent();
    }
    try {
      return new StoredGrant.Present(decode(cipher.open(sealed.get(), associatedData(key))));
    } catch (IllegalStateException unreadable) {
      return new StoredGrant.Unreadable(unreadable.getMessage());
    }
  }

  /**
   * Seals again with the active key every grant sealed with another configured key, so that the
   * older key can leave the configuration. Idempotent; relays sharing a database may run it at
   * once.
   *
   * @return how many grants were sealed again
   */
  public int resealWithActiveKey() {
    List<TokenKey> stale =
        jdbc.query(
            "SELECT destination, subject FROM partner_token WHERE key_id <> ?",
            statement -> statement.setString(1, cipher.activeKeyId()),
            rows -> {
              List<TokenKey> keys = new ArrayList<>();
              while (rows.next()) {
                keys.add(new TokenKey(new DestinationName(rows.getString(1)), rows.getString(2)));
              }
              return keys;
            });
    int resealed = 0;
    for (TokenKey key : stale) {
      if (read(key) instanceof StoredGrant.Present present) {
        save(key, present.tokens());
        resealed++;
      }
    }
    return resealed;
  }

  /** How many stored grants each key id seals, for the key ids the cipher does not have. */
  public Map<String, Long> grantsUnderMissingKeys() {
    return jdbc.query(
        "SELECT key_id, count(*) FROM partner_token GROUP BY key_id",
        statement -> {},
        rows -> {
          Map<String, Long> missing = new java.util.TreeMap<>();
          while (rows.next()) {
            if (!cipher.hasKey(rows.getString(1))) {
              missing.put(rows.getString(1), rows.getLong(2));
            }
          }
          return missing;
        });
  }

  @Override
  public java.util.List<TokenKey> keys() {
    return jdbc.query(
        "SELECT destination, subject FROM partner_token ORDER BY destination, subject",
        statement -> {},
        rows -> {
          java.util.List<TokenKey> keys = new java.util.ArrayList<>();
          while (rows.next()) {
            keys.add(
                new TokenKey(
                    new io.audiencerelay.domain.DestinationName(rows.getString(1)),
                    rows.getString(2)));
          }
          return keys;
        });
  }

  @Override
  public void delete(TokenKey key) {
    jdbc.update(
        "DELETE FROM partner_token WHERE destination = ? AND subject = ?",
        statement -> {
          statement.setString(1, key.destination().value());
          statement.setString(2, key.subject());
        });
  }

  private static String associatedData(TokenKey key) {
    return key.destination().value() + "\n" + key.subject();
  }

  private static String encode(PartnerTokens tokens) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("access", tokens.accessToken());
      json.writeStringField("refresh", tokens.refreshToken());
      if (tokens.accessExpiresAt() != null) {
        json.writeNumberField("access_expires", tokens.accessExpiresAt().toEpochMilli());
      }
      if (tokens.refreshExpiresAt() != null) {
        json.writeNumberField("refresh_expires", tokens.refreshExpiresAt().toEpochMilli());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static PartnerTokens decode(String text) {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser json = JSON.createParser(text)) {
      json.nextToken();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        fields.put(name, value == JsonToken.VALUE_NULL ? null : json.getText());
      }
    } catch (IOException e) {
      throw new IllegalStateException("stored token is not readable", e);
    }
    return new PartnerTokens(
        fields.get("access"),
        fields.get("refresh"),
        instant(fields.get("access_expires")),
        instant(fields.get("refresh_expires")));
  }

  private static Instant instant(String millis) {
    return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
  }
}

package io.audiencerelay.adapters.storage.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.audiencerelay.application.port.out.TokenStore;
import io.audiencerelay.domain.PartnerTokens;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
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
  public Optional<PartnerTokens> find(TokenKey key) {
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
    return sealed.map(s -> decode(cipher.open(s, associatedData(key))));
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

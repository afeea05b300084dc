package io.audiencerelay.adapters.storage.pauses;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.application.port.out.PauseStore;
import io.audiencerelay.domain.DestinationName;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Paused destinations in the relay's database, seen by every relay on it. */
public final class JdbcPauseStore implements PauseStore {
  private final Jdbc jdbc;

  public JdbcPauseStore(Database database) {
    this.jdbc = new Jdbc(database);
  }

  @Override
  public Map<DestinationName, Pause> paused() {
    return jdbc.query(
        "SELECT destination, paused_at, paused_by FROM destination_pause",
        statement -> {},
        rows -> {
          Map<DestinationName, Pause> paused = new LinkedHashMap<>();
          while (rows.next()) {
            DestinationName name = new DestinationName(rows.getString(1));
            paused.put(
                name, new Pause(name, Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3)));
          }
          return paused;
        });
  }

  @Override
  public void pause(Pause pause) {
    jdbc.update(
        "INSERT INTO destination_pause (destination, paused_at, paused_by) VALUES (?, ?, ?)"
            + " ON CONFLICT (destination) DO NOTHING",
        statement -> {
          statement.setString(1, pause.destination().value());
          statement.setLong(2, pause.at().toEpochMilli());
          statement.setString(3, pause.by());
        });
  }

  @Override
  public boolean resume(DestinationName destination) {
    return jdbc.update(
            "DELETE FROM destination_pause WHERE destination = ?",
            statement -> statement.setString(1, destination.value()))
        > 0;
  }
}

package io.audiencerelay.adapters.storage.mappings;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.application.port.out.DestinationLinkStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedDestinationId;
import java.time.Clock;
import java.util.Optional;

/** Feed-destination links in the relay's database, shared by every relay on it. */
public final class JdbcDestinationLinkStore implements DestinationLinkStore {
  private final Jdbc jdbc;
  private final Clock clock;

  public JdbcDestinationLinkStore(Database database, Clock clock) {
    this.jdbc = new Jdbc(database);
    this.clock = clock;
  }

  @Override
  public Optional<DestinationName> find(FeedDestinationId feedDestination) {
    return jdbc.query(
        "SELECT destination FROM destination_link WHERE feed_destination_id = ?",
        statement -> statement.setString(1, feedDestination.value()),
        rows ->
            rows.next() ? Optional.of(new DestinationName(rows.getString(1))) : Optional.empty());
  }

  @Override
  public void link(FeedDestinationId feedDestination, DestinationName destination) {
    jdbc.update(
        "INSERT INTO destination_link (feed_destination_id, destination, linked_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (feed_destination_id) DO UPDATE SET destination = excluded.destination,"
            + " linked_at = excluded.linked_at",
        statement -> {
          statement.setString(1, feedDestination.value());
          statement.setString(2, destination.value());
          statement.setLong(3, clock.millis());
        });
  }
}

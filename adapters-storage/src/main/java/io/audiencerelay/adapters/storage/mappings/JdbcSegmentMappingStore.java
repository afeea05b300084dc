package io.audiencerelay.adapters.storage.mappings;

import io.audiencerelay.adapters.storage.jdbc.Database;
import io.audiencerelay.adapters.storage.jdbc.Jdbc;
import io.audiencerelay.application.port.out.SegmentMappingStore;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.ExternalSegment;
import io.audiencerelay.domain.PartnerAudience;
import java.util.Optional;

/** Segment-to-audience mappings in the relay's database, shared by every relay on it. */
public final class JdbcSegmentMappingStore implements SegmentMappingStore {
  private final Jdbc jdbc;

  public JdbcSegmentMappingStore(Database database) {
    this.jdbc = new Jdbc(database);
  }

  @Override
  public Optional<PartnerAudience> find(DestinationName destination, ExternalSegment segment) {
    return jdbc.query(
        "SELECT audience_id, audience_name FROM segment_mapping WHERE destination = ? AND feed_id = ?"
            + " AND segment_id = ?",
        statement -> {
          statement.setString(1, destination.value());
          statement.setString(2, segment.feedId().value());
          statement.setString(3, segment.segmentId().value());
        },
        rows ->
            rows.next()
                ? Optional.of(new PartnerAudience(rows.getString(1), rows.getString(2)))
                : Optional.empty());
  }

  @Override
  public void save(DestinationName destination, ExternalSegment segment, PartnerAudience audience) {
    jdbc.update(
        "INSERT INTO segment_mapping (destination, feed_id, segment_id, audience_id, audience_name)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (destination, feed_id, segment_id)"
            + " DO UPDATE SET audience_id = excluded.audience_id, audience_name = excluded.audience_name",
        statement -> {
          statement.setString(1, destination.value());
          statement.setString(2, segment.feedId().value());
          statement.setString(3, segment.segmentId().value());
          statement.setString(4, audience.id());
          statement.setString(5, audience.name());
        });
  }
}

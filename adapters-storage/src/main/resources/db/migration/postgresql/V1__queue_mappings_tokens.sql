-- Accepted changes waiting for delivery. Times are epoch milliseconds.
CREATE TABLE delivery_queue (
  id              BIGSERIAL PRIMARY KEY,
  destination     TEXT    NOT NULL,
  feed_id         TEXT    NOT NULL,
  segment_id      TEXT    NOT NULL,
  datamart_id     TEXT,
  operation       TEXT    NOT NULL,
  identifiers     TEXT    NOT NULL,
  observed_at     BIGINT  NOT NULL,
  enqueued_at     BIGINT  NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL,
  leased_until    BIGINT ,
  last_error      TEXT
);
CREATE INDEX delivery_queue_due ON delivery_queue (destination, next_attempt_at, id);

-- Changes that gave up, with the error that ended them.
CREATE TABLE dead_letter (
  id          BIGINT  PRIMARY KEY,
  destination TEXT    NOT NULL,
  feed_id     TEXT    NOT NULL,
  segment_id  TEXT    NOT NULL,
  datamart_id TEXT,
  operation   TEXT    NOT NULL,
  identifiers TEXT    NOT NULL,
  observed_at BIGINT  NOT NULL,
  enqueued_at BIGINT  NOT NULL,
  attempts    INTEGER NOT NULL,
  dead_at     BIGINT  NOT NULL,
  error       TEXT    NOT NULL
);
CREATE INDEX dead_letter_destination ON dead_letter (destination, dead_at);

-- Which partner audience serves each segment at each destination.
CREATE TABLE segment_mapping (
  destination   TEXT NOT NULL,
  feed_id       TEXT NOT NULL,
  segment_id    TEXT NOT NULL,
  audience_id   TEXT NOT NULL,
  audience_name TEXT NOT NULL,
  PRIMARY KEY (destination, feed_id, segment_id)
);

-- Partner grants, sealed with AES-256-GCM under the key named by key_id.
CREATE TABLE partner_token (
  destination TEXT    NOT NULL,
  subject     TEXT    NOT NULL,
  key_id      TEXT    NOT NULL,
  sealed      BYTEA   NOT NULL,
  updated_at  BIGINT  NOT NULL,
  PRIMARY KEY (destination, subject)
);

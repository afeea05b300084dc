-- Which destination each platform feed destination uses, learned from segment creation and
-- connection (they carry both the feed and its feed destination). Times are epoch milliseconds.
CREATE TABLE destination_link (
  feed_destination_id TEXT    PRIMARY KEY,
  destination         TEXT    NOT NULL,
  linked_at           BIGINT  NOT NULL
);

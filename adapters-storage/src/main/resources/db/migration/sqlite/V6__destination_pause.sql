-- Destinations an operator paused from the admin console: they keep accepting updates and deliver
-- nothing until resumed. Shared by every relay on the database. Times are epoch milliseconds.
CREATE TABLE destination_pause (
  destination TEXT    PRIMARY KEY,
  paused_at   INTEGER NOT NULL,
  paused_by   TEXT    NOT NULL
);

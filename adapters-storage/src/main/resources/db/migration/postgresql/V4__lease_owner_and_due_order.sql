-- Who holds each lease: only its holder may complete, retry or dead-letter a leased change, so a
-- relay that stalled past its lease cannot undo the work of the relay that took the change over.
ALTER TABLE delivery_queue ADD COLUMN lease_owner TEXT;
-- The queue is a table of short-lived rows: every claim and delivery leaves dead index entries at
-- the front of the due index, which claims walk until vacuum removes them. Vacuum it at 2 % of
-- change instead of the default 20 %.
ALTER TABLE delivery_queue SET (autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
-- The due order is the next attempt's time, then the order of acceptance (not the row's id: on SQLite a change
-- that waited in the fast lane gets its row later than changes accepted after it). A change held behind an
-- earlier one of its segment takes that one's time, so claims hand a segment's changes out in their order.
CREATE INDEX delivery_queue_due_order ON delivery_queue (destination, next_attempt_at, seq);
DROP INDEX delivery_queue_due;
-- The changes in flight (and leases that ran out unsettled): a claim leaves out the segments they belong to.
CREATE INDEX delivery_queue_leased ON delivery_queue (destination, leased_until) WHERE leased_until IS NOT NULL;

-- Each change's place in the order changes were accepted, so that a segment's later changes never
-- overtake its earlier ones. Rows queued before this column existed keep their id order.
CREATE SEQUENCE delivery_queue_seq;
ALTER TABLE delivery_queue ADD COLUMN seq BIGINT;
UPDATE delivery_queue SET seq = id;
SELECT setval('delivery_queue_seq', COALESCE((SELECT max(id) FROM delivery_queue), 0) + 1);
ALTER TABLE delivery_queue ALTER COLUMN seq SET DEFAULT nextval('delivery_queue_seq');
ALTER TABLE delivery_queue ALTER COLUMN seq SET NOT NULL;
CREATE INDEX delivery_queue_segment_order ON delivery_queue (destination, feed_id, segment_id, seq);

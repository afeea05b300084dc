-- Each change's place in the order changes were accepted (from its accept-journal position), so
-- that a segment's later changes never overtake its earlier ones. Rows queued before this column
-- existed come first, in their id order.
ALTER TABLE delivery_queue ADD COLUMN seq INTEGER;
UPDATE delivery_queue SET seq = id - 4611686018427387904;
CREATE INDEX delivery_queue_segment_order ON delivery_queue (destination, feed_id, segment_id, seq);

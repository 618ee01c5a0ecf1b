-- Pruning by watermark: DELETE FROM inbox WHERE consumer = ? AND position <= ?.
CREATE INDEX inbox_consumer_position_idx ON ${schema}.inbox (consumer, position);

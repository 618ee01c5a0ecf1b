-- readAll filtered by category: WHERE category = ? AND position > ? ORDER BY position.
CREATE INDEX events_category_position_idx ON ${schema}.events (category, position);

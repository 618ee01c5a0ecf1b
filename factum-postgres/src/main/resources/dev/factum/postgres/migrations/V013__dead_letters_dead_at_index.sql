-- Listing newest first: ORDER BY dead_at DESC, id DESC, with or without a consumer.
CREATE INDEX dead_letters_dead_at_idx ON ${schema}.dead_letters (dead_at, id);

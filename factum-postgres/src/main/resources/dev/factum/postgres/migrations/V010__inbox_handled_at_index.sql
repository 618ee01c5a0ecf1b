-- Pruning by age: DELETE FROM inbox WHERE handled_at < ?.
CREATE INDEX inbox_handled_at_idx ON ${schema}.inbox (handled_at);

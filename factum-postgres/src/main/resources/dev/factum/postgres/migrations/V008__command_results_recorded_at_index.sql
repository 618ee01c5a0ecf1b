-- Pruning: DELETE FROM command_results WHERE recorded_at < ?.
CREATE INDEX command_results_recorded_at_idx ON ${schema}.command_results (recorded_at);

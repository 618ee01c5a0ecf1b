-- SPDX-License-Identifier: Apache-2.0
-- Pruning: DELETE FROM command_results WHERE recorded_at < ?.
CREATE INDEX command_results_recorded_at ON command_results (recorded_at);

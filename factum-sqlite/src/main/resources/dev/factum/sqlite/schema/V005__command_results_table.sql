-- SPDX-License-Identifier: Apache-2.0
-- Commands done or running, by command id, for the command bus's idempotency. A claim row (result_type and result
-- NULL) is inserted before the handler runs; the result (class name and JSON) is written after it. claim_id tells one
-- claim from the one that took it over after claimed_at + the claim timeout. recorded_at is the claim's time, then
-- the result's; rows older than the retention are pruned. Times are epoch microseconds.
CREATE TABLE command_results (
    command_id   TEXT    PRIMARY KEY,
    command_type TEXT    NOT NULL,
    claim_id     TEXT    NOT NULL,
    claimed_at   INTEGER NOT NULL,
    result_type  TEXT,
    result       TEXT,
    recorded_at  INTEGER NOT NULL,
    CHECK ((result_type IS NULL) = (result IS NULL))
) STRICT;

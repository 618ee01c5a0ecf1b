-- Commands done or running, by command id, for the command bus's idempotency. A claim row (result_type and result
-- NULL) is inserted with ON CONFLICT DO NOTHING before the handler runs; the result (class name and JSON text) is
-- written after it. claim_id tells one claim from the one that took it over after claimed_at + the claim timeout.
-- recorded_at is the claim's time, then the result's; rows older than the retention are pruned.
CREATE TABLE ${schema}.command_results (
    command_id   UUID        NOT NULL PRIMARY KEY,
    command_type TEXT        NOT NULL,
    claim_id     UUID        NOT NULL,
    claimed_at   TIMESTAMPTZ NOT NULL,
    result_type  TEXT,
    result       TEXT,
    recorded_at  TIMESTAMPTZ NOT NULL,
    CHECK ((result_type IS NULL) = (result IS NULL))
);

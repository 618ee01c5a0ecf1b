-- Dead letters: messages a consumer could not handle, kept for inspection, replay or discard. headers is a JSON object
-- of strings and attempts a JSON array of {number, at, error}, oldest first, both as JSON text (not JSONB, which
-- refuses the \u0000 escape a foreign message's header may need). The body is UTF-8 bytes: any text a foreign message
-- carried, NUL included, must survive, and PostgreSQL text cannot hold NUL. message_type is the headers'
-- factum-type, copied out for filtering. state moves from PARKED to REPLAYED or DISCARDED once, with resolution and
-- resolved_at.
CREATE TABLE ${schema}.dead_letters (
    id            UUID        NOT NULL PRIMARY KEY,
    consumer      TEXT        NOT NULL,
    message_type  TEXT,
    headers       TEXT        NOT NULL,
    body          BYTEA       NOT NULL,
    reason        TEXT        NOT NULL,
    stack_summary TEXT        NOT NULL,
    attempts      TEXT        NOT NULL,
    dead_at       TIMESTAMPTZ NOT NULL,
    state         TEXT        NOT NULL CHECK (state IN ('PARKED', 'REPLAYED', 'DISCARDED')),
    resolution    TEXT,
    resolved_at   TIMESTAMPTZ,
    CHECK ((state = 'PARKED') = (resolved_at IS NULL))
);

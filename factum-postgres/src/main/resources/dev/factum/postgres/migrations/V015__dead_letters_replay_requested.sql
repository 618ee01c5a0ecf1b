-- SPDX-License-Identifier: Apache-2.0
-- Dead letters get the state REPLAY_REQUESTED (a replay asked for where the consumer does not run, done by a process
-- where it runs; a failed replay parks the letter again) and replay_requested_at, the time of the last request. The
-- state and resolved_at checks of V012 are replaced: a letter waiting for its replay is not resolved, and has a
-- request time.
ALTER TABLE ${schema}.dead_letters
    ADD COLUMN replay_requested_at TIMESTAMPTZ,
    DROP CONSTRAINT dead_letters_state_check,
    DROP CONSTRAINT dead_letters_check,
    ADD CONSTRAINT dead_letters_state_check
        CHECK (state IN ('PARKED', 'REPLAY_REQUESTED', 'REPLAYED', 'DISCARDED')),
    ADD CONSTRAINT dead_letters_resolved_check
        CHECK ((state IN ('PARKED', 'REPLAY_REQUESTED')) = (resolved_at IS NULL)),
    ADD CONSTRAINT dead_letters_replay_requested_check
        CHECK (state <> 'REPLAY_REQUESTED' OR replay_requested_at IS NOT NULL);

-- An event id is stored at most once; the append path looks ids up here for idempotent appends.
ALTER TABLE ${schema}.events ADD CONSTRAINT events_event_id_key UNIQUE (event_id);

-- One event per stream version; also the index that finds a stream's current version (max(version)).
ALTER TABLE ${schema}.events ADD CONSTRAINT events_stream_version_key UNIQUE (stream, version);

-- Which migrations ran, and when. Created (with the schema) before any migration, under the migration lock.
CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
    version    INTEGER     NOT NULL PRIMARY KEY,
    name       TEXT        NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

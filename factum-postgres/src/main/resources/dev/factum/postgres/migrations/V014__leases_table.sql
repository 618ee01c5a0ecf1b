-- Named expiring leases (one relay sender at a time across processes): the holder and when its lease expires, by
-- the database's clock (clock_timestamp()) unless a store was given a Java clock. Taken and renewed by one
-- conditional upsert; released by deleting the row.
CREATE TABLE ${schema}.leases (
    name       TEXT        NOT NULL PRIMARY KEY,
    owner      TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- SPDX-License-Identifier: Apache-2.0
-- Named expiring leases (one relay sender at a time): the holder and when its lease expires, in epoch microseconds
-- of the store's Java clock. Taken and renewed by one conditional upsert; released by deleting the row.
CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    owner      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

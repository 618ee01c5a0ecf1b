-- The store-wide write lock and the last committed position: one row, locked FOR UPDATE by every append
-- transaction, updated to the last position it wrote. fillfactor leaves room for HOT updates of that row.
CREATE TABLE ${schema}.head (
    id       SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
    position BIGINT   NOT NULL CHECK (position >= 0)
) WITH (fillfactor = 10);
INSERT INTO ${schema}.head (id, position) VALUES (1, 0);

-- SPDX-License-Identifier: Apache-2.0
-- Pruning by age: DELETE FROM inbox WHERE handled_at < ?.
CREATE INDEX inbox_handled_at ON inbox (handled_at);

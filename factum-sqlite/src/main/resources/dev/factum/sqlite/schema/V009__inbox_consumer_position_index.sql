-- SPDX-License-Identifier: Apache-2.0
-- Pruning by watermark: DELETE FROM inbox WHERE consumer = ? AND position <= ?.
CREATE INDEX inbox_consumer_position ON inbox (consumer, position);

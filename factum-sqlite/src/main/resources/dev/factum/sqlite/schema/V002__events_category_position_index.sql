-- SPDX-License-Identifier: Apache-2.0
-- readAll with a category filter: the events of one category in position order.
CREATE INDEX events_category_position ON events (category, position);

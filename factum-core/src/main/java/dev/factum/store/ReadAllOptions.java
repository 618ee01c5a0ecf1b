// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import java.util.Objects;
import java.util.Optional;

/**
 * How to read the global order: events after {@code after} (exclusive), at most {@code limit}, optionally of one
 * category. Copy-on-set: {@code ReadAllOptions.after(checkpoint).limit(500).category("Account")}.
 *
 * @since 0.1
 */
public record ReadAllOptions(Position after, int limit, Optional<String> category) {
    /** The default batch size. */
    public static final int DEFAULT_LIMIT = 1000;

    public ReadAllOptions {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(category, "category");
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        category.ifPresent(c -> StreamId.of(c, "x")); // validates the category's form
    }

    /** From the first event of the store. */
    public static ReadAllOptions fromStart() {
        return after(Position.BEGINNING);
    }

    /** Events whose position is greater than {@code position}. */
    public static ReadAllOptions after(Position position) {
        return new ReadAllOptions(position, DEFAULT_LIMIT, Optional.empty());
    }

    public ReadAllOptions limit(int max) {
        return new ReadAllOptions(after, max, category);
    }

    /** Only events of streams of this category. */
    public ReadAllOptions category(String name) {
        return new ReadAllOptions(after, limit, Optional.of(name));
    }
}

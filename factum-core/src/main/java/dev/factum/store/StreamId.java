// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one stream: the aggregate type ({@code category}) and the instance id, printed {@code Category-id}
 * ({@code Account-7f3c…}). The category may not contain {@code -}, so the first dash always splits the two; the id may
 * contain dashes (UUIDs do).
 *
 * <p>Refused, with an {@link IllegalArgumentException} naming the problem: a blank part, a category that does not
 * match {@code [A-Za-z][A-Za-z0-9_.]*}, an id with whitespace or control characters, or a name longer than
 * {@value #MAX_LENGTH} characters.
 *
 * @since 0.1
 */
public record StreamId(String category, String id) {
    /** Longest accepted printed form, in characters. */
    public static final int MAX_LENGTH = 200;

    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z][A-Za-z0-9_.]*");
    private static final Pattern ID = Pattern.compile("[^\\s\\p{Cntrl}]+");

    public StreamId {
        Objects.requireNonNull(category, "stream category");
        Objects.requireNonNull(id, "stream id");
        if (category.isBlank()) throw new IllegalArgumentException("stream category is blank");
        if (!CATEGORY.matcher(category).matches()) {
            throw new IllegalArgumentException("stream category '" + category
                    + "' is malformed: it must start with a letter and hold only letters, digits, '_' and '.' (no '-')");
        }
        if (id.isBlank()) throw new IllegalArgumentException("stream id of category '" + category + "' is blank");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("stream id '" + id + "' contains whitespace or control characters");
        }
        if (category.length() + 1 + id.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("stream name is longer than " + MAX_LENGTH + " characters");
        }
    }

    /** The stream {@code category-id}. */
    public static StreamId of(String category, String id) {
        return new StreamId(category, id);
    }

    /**
     * Parses the printed form {@code Category-id}.
     *
     * @throws IllegalArgumentException if the text is blank, has no {@code -}, or either part is malformed
     */
    public static StreamId parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("stream name is blank");
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("stream name '" + text + "' is malformed: expected 'Category-id', e.g. 'Account-42'");
        }
        return new StreamId(text.substring(0, dash), text.substring(dash + 1));
    }

    /** The printed form, {@code Category-id}. */
    @Override
    public String toString() {
        return category + "-" + id;
    }
}

// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** Command-line values to Factum types; a malformed value is a usage error naming the problem. */
final class Converters {
    private Converters() {
    }

    static StreamId streamId(String text) {
        try {
            return StreamId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** {@code any}, {@code no-stream}, {@code exists} or a version {@code >= 1}. */
    static ExpectedVersion expectedVersion(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "any":
                return ExpectedVersion.any();
            case "no-stream":
            case "none":
                return ExpectedVersion.noStream();
            case "exists":
            case "stream-exists":
                return ExpectedVersion.streamExists();
            default:
                break;
        }
        long version;
        try {
            version = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not an expected version: use any, no-stream, exists or a version >= 1");
        }
        if (version < 1) {
            throw new TypeConversionException("'" + text + "' is not an expected version: versions start at 1 (use no-stream for a stream that must not exist yet)");
        }
        return ExpectedVersion.exactly(version);
    }
}

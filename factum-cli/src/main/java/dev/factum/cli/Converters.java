// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line values to Factum types; a malformed value is a usage error naming the problem. */
final class Converters {
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:\\d+(?:ms|d|h|m|s))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");

    private Converters() {
    }

    /** {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}, {@code 250ms}, or ISO-8601 ({@code PT1H}, {@code P1D}). */
    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p") || value.startsWith("-p")) return Duration.parse(value.toUpperCase(Locale.ROOT));
            if (SHORT_DURATION.matcher(value).matches()) {
                Duration total = Duration.ZERO;
                Matcher part = DURATION_PART.matcher(value);
                while (part.find()) {
                    long amount = Long.parseLong(part.group(1));
                    total = total.plus(switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
                }
                return total;
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // reported below
        }
        throw new TypeConversionException("'" + text + "' is not a duration: use 30s, 5m, 1h30m, 2d or ISO-8601 such as PT1H");
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

// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one load run: orders completed (DELIVERED) and failed, the first errors, the elapsed time, and the
 * latency of each command type and of whole orders, in nanoseconds. The histograms are copies the run no longer
 * touches.
 *
 * @param completed   orders driven to DELIVERED
 * @param failed      orders where a command threw (the order's remaining commands were skipped)
 * @param firstErrors up to {@link LoadRunner#MAX_ERRORS} error lines, in the order they happened
 * @param commands    commands that succeeded
 * @param elapsed     wall-clock time of the run
 * @param perCommand  latency per command type (simple class name), in the lifecycle's order
 * @param perOrder    latency of each completed order's six commands together
 * @since 0.1
 */
public record LoadSummary(long completed, long failed, List<String> firstErrors, long commands, Duration elapsed,
                          Map<String, Histogram> perCommand, Histogram perOrder) {
    public LoadSummary {
        firstErrors = List.copyOf(firstErrors);
        perCommand = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perCommand));
    }

    /** Completed orders per second of elapsed time. */
    public double ordersPerSecond() {
        return completed / seconds();
    }

    /** Successful commands per second of elapsed time. */
    public double commandsPerSecond() {
        return commands / seconds();
    }

    private double seconds() {
        return Math.max(elapsed.toNanos(), 1) / 1e9;
    }

    /** The multi-line report printed at the end of a run. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "completed %d, failed %d in %.3f s: %.1f orders/s, %.1f commands/s%n",
                completed, failed, seconds(), ordersPerSecond(), commandsPerSecond()));
        for (String error : firstErrors) out.append("  error: ").append(error).append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "%-14s %9s %9s %9s %9s %8s%n", "latency (ms)", "p50", "p99", "p99.9",
                "max", "count"));
        perCommand.forEach((name, h) -> out.append(row(name, h)));
        out.append(row("order", perOrder));
        return out.toString();
    }

    private static String row(String name, Histogram h) {
        return String.format(Locale.ROOT, "%-14s %9.3f %9.3f %9.3f %9.3f %8d%n", name, ms(h, 50), ms(h, 99),
                ms(h, 99.9), h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6, h.getTotalCount());
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }
}

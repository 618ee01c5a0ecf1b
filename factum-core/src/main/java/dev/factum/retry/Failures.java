// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

/**
 * Errors as dead letters keep them: one line for the reason, a shortened stack for the summary.
 *
 * @since 0.1
 */
public final class Failures {
    private static final int FRAMES = 8;
    private static final int MAX_CHARS = 4_000;

    private Failures() {
    }

    /** {@code SimpleClassName: message}. */
    public static String reason(Throwable error) {
        String message = error.getMessage();
        String name = error.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message.strip();
    }

    /** The error and its causes, each with its first stack frames, at most 4,000 characters. */
    public static String stackSummary(Throwable error) {
        StringBuilder text = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t != error) text.append("caused by ");
            text.append(t.getClass().getName());
            if (t.getMessage() != null) text.append(": ").append(t.getMessage());
            text.append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES, frames.length); i++) text.append("    at ").append(frames[i]).append('\n');
            if (frames.length > FRAMES) text.append("    ... ").append(frames.length - FRAMES).append(" more\n");
        }
        return text.length() <= MAX_CHARS ? text.toString() : text.substring(0, MAX_CHARS) + "\n    (cut)";
    }
}

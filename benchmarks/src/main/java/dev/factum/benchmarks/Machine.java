// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import java.util.Locale;

/** The client side of the machine description: cores and JDK. */
final class Machine {
    private Machine() {
    }

    /** The 1-minute load average of the machine, or "?" where /proc/loadavg cannot be read. */
    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    static String client() {
        return String.format(Locale.ROOT, "nproc=%d, JDK %s (%s)", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.vendor"));
    }
}

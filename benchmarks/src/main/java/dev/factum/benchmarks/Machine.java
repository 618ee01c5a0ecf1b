// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import java.util.Locale;

/** The client side of the machine description: cores and JDK. */
final class Machine {
    private Machine() {
    }

    static String client() {
        return String.format(Locale.ROOT, "nproc=%d, JDK %s (%s)", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.vendor"));
    }
}

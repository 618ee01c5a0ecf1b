// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used during one run: by this JVM (all its threads: the load generator as well as Factum or the driver), by the
 * PostgreSQL server's processes, and by the whole machine (every process), read from the JVM and from {@code /proc}.
 * It tells whether a latency figure was made on a machine with CPU to spare, and who used the CPU. The PostgreSQL
 * share counts every process named {@code postgres}, so work of other clients of the same server is in it too.
 *
 * @param jvmCpuNanos    CPU time of this JVM during the run
 * @param wallNanos      length of the run
 * @param machineBusy    fraction of all cores' time that was busy (not idle, not waiting for I/O), 0 to 1; NaN where
 *                       {@code /proc/stat} cannot be read
 * @param postgresBusy   fraction of all cores' time used by processes named {@code postgres}; NaN where {@code /proc}
 *                       cannot be read
 * @param gcPauses       this JVM's garbage-collection pauses during the run (collectors other than the concurrent ones)
 * @param gcPauseMillis  their total time in ms, as the collectors report it
 */
record CpuUse(long jvmCpuNanos, long wallNanos, double machineBusy, double postgresBusy, long gcPauses,
              long gcPauseMillis) {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Average cores this JVM kept busy. */
    double jvmCores() {
        return (double) jvmCpuNanos / wallNanos;
    }

    /** Fraction of all cores' time used by this JVM. */
    double jvmBusy() {
        return jvmCores() / CORES;
    }

    /** Fraction of all cores' time used by neither this JVM nor PostgreSQL: everything else on the machine. */
    double otherBusy() {
        return Math.max(0, machineBusy - jvmBusy() - postgresBusy);
    }

    /** Counters at one moment, to subtract; ticks are {@code /proc}'s clock ticks, -1 where unreadable. */
    record Snapshot(long wallNanos, long jvmCpuNanos, long busyTicks, long totalTicks, long postgresTicks,
                    long gcPauses, long gcPauseMillis) {

        CpuUse until(Snapshot end) {
            long total = end.totalTicks - totalTicks;
            boolean read = total > 0 && totalTicks >= 0 && end.totalTicks >= 0;
            return new CpuUse(end.jvmCpuNanos - jvmCpuNanos, end.wallNanos - wallNanos,
                    read ? (double) (end.busyTicks - busyTicks) / total : Double.NaN,
                    read && postgresTicks >= 0 && end.postgresTicks >= 0
                            ? Math.max(0, (double) (end.postgresTicks - postgresTicks) / total) : Double.NaN,
                    end.gcPauses - gcPauses, end.gcPauseMillis - gcPauseMillis);
        }
    }

    static Snapshot snapshot() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long busy = -1, total = -1;
        try {
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user);
            // summed over all cores, so a fraction of it is a fraction of all cores' time
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long sum = 0;
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) sum += Long.parseLong(f[i]);
            busy = sum - Long.parseLong(f[4]) - Long.parseLong(f[5]);
            total = sum;
        } catch (IOException | RuntimeException e) {
            total = -1;
        }
        long pauses = 0, pauseMillis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // G1's "G1 Concurrent GC" and ZGC's "… Cycles" are work beside the application, not pauses
            if (gc.getName().contains("Concurrent") || gc.getName().contains("Cycles")) continue;
            pauses += Math.max(0, gc.getCollectionCount());
            pauseMillis += Math.max(0, gc.getCollectionTime());
        }
        return new Snapshot(System.nanoTime(), jvm, busy, total, postgresTicks(), pauses, pauseMillis);
    }

    /** utime + stime of every process named {@code postgres}, in clock ticks; -1 if {@code /proc} cannot be read. */
    private static long postgresTicks() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException gone) {
                    continue; // ended since the listing
                }
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                if (open < 0 || close < 0 || !stat.substring(open + 1, close).equals("postgres")) continue;
                // after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
                String[] f = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks;
    }
}

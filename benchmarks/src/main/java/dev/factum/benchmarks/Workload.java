// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

/** A workload of BENCHMARKS.md: a Factum side and the raw-driver limit measured beside it. */
interface Workload extends AutoCloseable {

    /** The id of BENCHMARKS.md, e.g. {@code W1}. */
    String id();

    /**
     * The name of the result: {@code <resultId>.json} and the workload's section of RESULTS.md. The id, unless one
     * workload runs on several stores (W3: {@code W3-sqlite}, {@code W3-postgres}).
     */
    default String resultId() {
        return id();
    }

    /** One line for headings, e.g. "append 1 event per command, 16 writers, PostgreSQL". */
    String title();

    /** {@code postgres} or {@code sqlite}. */
    String store();

    /** Concurrency: writer threads (1 for a reader). */
    int writers();

    /** The concurrency in words for the report, e.g. "16 writers", "1 reader". */
    default String concurrency() {
        return writers() + (writers() == 1 ? " reader" : " writers");
    }

    /** Further fields of the result's JSON, after {@code store} (W4: the transport). */
    default java.util.Map<String, Object> jsonFields() {
        return java.util.Map.of();
    }

    Side factum();

    Side limit();

    /** Short name of the limit, e.g. {@code raw-jdbc-insert-commit}. */
    String limitName();

    /** What one operation of the latency histogram is, e.g. "one append of 1 event". */
    String operation();

    /** The machine and server settings that matter for this workload, read from the server where possible. */
    String machine() throws Exception;

    /** A few sentences for RESULTS.md: what each side does exactly. */
    String description();

    /**
     * Optional extra measurements after the rounds, one line each, to show where the Factum side spends its time
     * (e.g. reads alone, reads and decoding); not part of the ratio.
     */
    default java.util.List<String> breakdown() throws Exception {
        return java.util.List.of();
    }

    /** Called once before the warm-up (e.g. to seed data); not timed. */
    default void setUp() throws Exception {
    }

    /** Drops what the workload created (schemas, files). */
    @Override
    default void close() throws java.sql.SQLException, java.io.IOException {
    }
}

// SPDX-License-Identifier: Apache-2.0
/**
 * The load harness of BENCHMARKS.md: each workload measures Factum beside the raw driver doing the same durable work,
 * interleaved in one run on one machine, and reports the ratio. A program, not a test suite: nothing here asserts on
 * speed. Start it with {@code benchmarks/run <workload>}.
 */
package dev.factum.benchmarks;

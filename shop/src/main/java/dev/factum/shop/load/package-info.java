// SPDX-License-Identifier: Apache-2.0
/**
 * The shop's load mode: drives many orders through their whole lifecycle (create, add item, submit, pay, ship,
 * deliver) in-process through the {@link dev.factum.command.CommandBus} with concurrent virtual-thread workers, shows a
 * progress line, and summarises throughput and latency percentiles (HdrHistogram). Nothing here accepts or returns
 * null; absent values are {@link java.util.Optional}.
 *
 * @since 0.1
 */
package dev.factum.shop.load;

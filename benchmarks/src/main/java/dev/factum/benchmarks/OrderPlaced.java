// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import java.math.BigDecimal;
import java.time.Instant;

/** The event every workload writes and decodes: about 200 bytes of JSON, typical of an order system. */
record OrderPlaced(String orderId, String customerId, String sku, int quantity, BigDecimal amount, String currency,
                   Instant placedAt) {
}

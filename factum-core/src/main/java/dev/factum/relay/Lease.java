// SPDX-License-Identifier: Apache-2.0
package dev.factum.relay;

import java.time.Instant;

/**
 * Who holds a named lease, until when.
 *
 * @since 0.1
 */
public record Lease(String name, String owner, Instant expiresAt) {
}

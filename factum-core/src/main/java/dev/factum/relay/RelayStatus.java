// SPDX-License-Identifier: Apache-2.0
package dev.factum.relay;

import java.util.Optional;

/**
 * A relay's progress: its checkpoint against the store's head, what it sent, whether it holds the lease.
 *
 * @param name         the relay's name
 * @param transport    the transport it sends to
 * @param running      whether it runs in this process
 * @param leaseHolder  whether this process holds the relay's lease (only the holder sends)
 * @param checkpoint   the position up to which every matching event is confirmed by the broker
 * @param head         the store's head position
 * @param published    messages confirmed since start
 * @param deadLettered messages the broker refused for good, parked as dead letters
 * @param lastError    the latest failure (a broker outage shows here while the relay retries)
 * @since 0.1
 */
public record RelayStatus(String name, String transport, boolean running, boolean leaseHolder, long checkpoint,
                          long head, long published, long deadLettered, Optional<String> lastError) {

    /** Events between the checkpoint and the head. */
    public long lag() {
        return Math.max(0, head - checkpoint);
    }
}

// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import java.sql.Connection;
import java.util.Optional;

/**
 * The transaction a batch is handled in. On a JDBC store, {@link #connection()} is the connection whose transaction
 * will also store the checkpoint: write the read model through it and effect and checkpoint commit together (or
 * neither). Do not commit, roll back or close it. In memory, there is no connection.
 *
 * @since 0.1
 */
public interface StoreTransaction {
    /** A transaction with no database behind it. */
    StoreTransaction NONE = Optional::empty;

    Optional<Connection> connection();
}

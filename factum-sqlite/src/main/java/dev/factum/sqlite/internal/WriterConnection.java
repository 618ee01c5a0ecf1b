// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.store.StoreClosedException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store instance's single read-write connection, shared by the group-commit writer thread, the checkpoint store
 * and the schema migrations, one at a time under a lock. Every transaction starts with {@code BEGIN IMMEDIATE}, which
 * takes SQLite's write lock at once (waiting up to the busy timeout if another process holds it), so everything read
 * inside the transaction stays current until it commits — across processes too.
 */
public final class WriterConnection implements AutoCloseable {

    /** Work done inside a write transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private final String storeName;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;
    private boolean closed;

    public WriterConnection(String storeName, Connection connection) throws SQLException {
        this.storeName = storeName;
        this.connection = connection;
        this.begin = connection.prepareStatement("BEGIN IMMEDIATE");
        this.commit = connection.prepareStatement("COMMIT");
        this.rollback = connection.prepareStatement("ROLLBACK");
    }

    /**
     * Runs {@code work} in one write transaction and commits it; if the work or the commit throws, rolls back and
     * rethrows. Blocks while another thread of this instance is writing.
     *
     * @throws StoreClosedException after {@link #close()}
     */
    public <T> T inTransaction(Work<T> work) throws Exception {
        lock.lock();
        try {
            if (closed) throw new StoreClosedException(storeName);
            begin.execute();
            T result;
            try {
                result = work.run(connection);
                commit.execute();
            } catch (Throwable failure) {
                rollBack(failure);
                throw failure;
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #inTransaction} for the stores that share this connection: failures become Factum errors naming
     * {@code operation}.
     *
     * @throws IllegalStateException if the calling thread is inside a transaction of this connection already (a
     *                               checkpoint's work): the write would wait for itself
     * @throws dev.factum.store.EventStoreException if SQLite fails
     */
    public <T> T write(String operation, Work<T> work) {
        if (isHeldByCurrentThread()) {
            throw new IllegalStateException(operation + " inside a checkpoint transaction of the same store would wait"
                    + " for itself: do it after the checkpoint commits, or from another thread");
        }
        try {
            return inTransaction(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (SQLException e) {
            throw SqliteErrors.translate(operation, e);
        } catch (Exception e) {
            throw new dev.factum.store.EventStoreException(operation + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether the calling thread is inside {@link #inTransaction} (used to refuse a self-deadlocking append). */
    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** The raw connection, for preparing statements that {@link #inTransaction} work will use. */
    public Connection connection() {
        return connection;
    }

    private void rollBack(Throwable failure) {
        try {
            rollback.execute();
        } catch (SQLException e) {
            // a failed COMMIT may have ended the transaction already; anything else is worth seeing
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) failure.addSuppressed(e);
        }
    }

    /** Waits for the running transaction, then closes the connection; later transactions are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a connection that has no open transaction only releases memory and file handles
            }
        } finally {
            lock.unlock();
        }
    }
}

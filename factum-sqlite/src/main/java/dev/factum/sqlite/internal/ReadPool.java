// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.sqlite.SqliteConfig;
import dev.factum.store.EventStoreException;
import dev.factum.store.StoreClosedException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few read-only connections, lent out one read at a time. In WAL mode each reads a consistent committed state while
 * the writer writes. Each connection keeps its prepared statements. A read waits for a free connection.
 */
public final class ReadPool implements AutoCloseable {

    /** One read with a borrowed connection. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Lease lease) throws SQLException;
    }

    /** A borrowed connection with its statement cache. */
    public static final class Lease {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Lease(Connection connection) {
            this.connection = connection;
        }

        /** The statement for {@code sql}, prepared once per connection. Do not close it. */
        public PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        public Connection connection() {
            return connection;
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a read-only connection holds no data to lose
            }
        }
    }

    private final String storeName;
    private final BlockingQueue<Lease> idle;
    private final int size;
    private boolean closed;

    public ReadPool(String storeName, SqliteConfig config) throws SQLException {
        this.storeName = storeName;
        this.size = config.readConnections();
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) idle.add(new Lease(SqliteConnections.openReader(config)));
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Runs {@code read} with a free connection.
     *
     * @throws StoreClosedException after {@link #close()}
     * @throws EventStoreException  naming {@code operation} if SQLite fails
     */
    public <T> T read(String operation, Read<T> read) {
        Lease lease = borrow(operation);
        try {
            return read.run(lease);
        } catch (SQLException e) {
            throw SqliteErrors.translate(operation, e);
        } finally {
            giveBack(lease);
        }
    }

    /** Runs {@code read} on every connection of the pool (waiting until all are free); for checks and tests. */
    public <T> List<T> readOnEach(String operation, Read<T> read) {
        List<Lease> all = new ArrayList<>();
        try {
            while (all.size() < size) all.add(borrow(operation));
            List<T> results = new ArrayList<>();
            for (Lease lease : all) results.add(read.run(lease));
            return results;
        } catch (SQLException e) {
            throw SqliteErrors.translate(operation, e);
        } finally {
            all.forEach(this::giveBack);
        }
    }

    private Lease borrow(String operation) {
        try {
            while (true) {
                synchronized (this) {
                    if (closed) throw new StoreClosedException(storeName);
                }
                Lease lease = idle.poll(100, TimeUnit.MILLISECONDS);
                if (lease != null) return lease;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreException(operation + " was interrupted while waiting for a read connection", e);
        }
    }

    private void giveBack(Lease lease) {
        synchronized (this) {
            if (!closed) {
                idle.add(lease);
                return;
            }
        }
        lease.close();
    }

    /** Closes the idle connections now and the lent ones when they come back; later reads are refused. */
    @Override
    public void close() {
        List<Lease> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.drainTo(toClose);
        }
        toClose.forEach(Lease::close);
    }
}

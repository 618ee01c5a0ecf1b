// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The store's onCommit callbacks and what runs them: the writer after each local commit ({@link #committedHere()}),
 * and a daemon thread that LISTENs on the schema's channel over its own connection and runs them when another process
 * commits. Notifications sent by this store's own {@link CommitNotifier} are ignored (the writer signalled already). If the LISTEN connection
 * drops, the thread reconnects (backing off up to 5 s) and signals once, since a commit may have been missed; after
 * 30 s without a notification it checks the connection with a trivial query.
 */
public final class CommitNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitNotifications.class);

    private final String jdbcUrl;
    private final String channel;
    private final String schemaName;
    private final String storeName;
    private final IntSupplier ownPid;
    private final int waitMillis;
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private static final long PROBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private volatile Connection connection;
    private long quietSince = System.nanoTime();
    private volatile boolean closed;

    /**
     * Connects and LISTENs before returning, so a commit by anyone after this returns is signalled.
     *
     * @param ownPid backend pid of this store's notifying connection (its notifications are skipped)
     * @throws SQLException if the first connection fails
     */
    public CommitNotifications(String jdbcUrl, SchemaName schema, String storeName, IntSupplier ownPid, Duration wait)
            throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.channel = schema.channel();
        this.schemaName = schema.name();
        this.storeName = storeName;
        this.ownPid = ownPid;
        this.waitMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis()));
        this.connection = listen();
        this.thread = Thread.ofPlatform().name("factum-listen-" + schema.name()).daemon().start(this::run);
    }

    /** Registers a callback; closing the result removes it. */
    public AutoCloseable register(Runnable callback) {
        callbacks.add(callback);
        return () -> callbacks.remove(callback);
    }

    /** Runs the callbacks: called by the writer right after a local commit. */
    public void committedHere() {
        signal();
    }

    private Connection listen() throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "factum-listen:" + schemaName);
        Connection c = DriverManager.getConnection(jdbcUrl, props);
        try (Statement statement = c.createStatement()) {
            statement.execute("LISTEN \"" + channel + "\"");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void run() {
        long backoff = 50;
        while (!closed) {
            try {
                Connection c = connection;
                if (c == null) {
                    c = listen();
                    connection = c;
                    backoff = 50;
                    LOG.info("{}: LISTEN connection re-established", storeName);
                    signal();
                }
                PGNotification[] notes = c.unwrap(PGConnection.class).getNotifications(waitMillis);
                if (notes != null && notes.length > 0) {
                    quietSince = System.nanoTime();
                    if (fromAnotherWriter(notes)) signal();
                } else if (System.nanoTime() - quietSince > PROBE_AFTER_NANOS) {
                    probe(c); // a connection that died without a word would otherwise just look quiet
                    quietSince = System.nanoTime();
                }
            } catch (SQLException e) {
                if (closed) break;
                LOG.warn("{}: LISTEN connection failed ({}); reconnecting in {} ms", storeName, e.getMessage(), backoff);
                closeQuietly(connection);
                connection = null;
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(5000, backoff * 2);
            }
        }
        closeQuietly(connection);
    }

    private static void probe(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    private boolean fromAnotherWriter(PGNotification[] notes) {
        int own = ownPid.getAsInt();
        for (PGNotification note : notes) if (note.getPID() != own) return true;
        return false;
    }

    private void signal() {
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: an onCommit callback failed", storeName, e);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try { // the thread sees the flag within one notification wait

            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(connection);
        callbacks.clear();
    }
}

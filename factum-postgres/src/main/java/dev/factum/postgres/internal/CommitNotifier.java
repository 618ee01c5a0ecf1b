// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells other processes that events were committed: {@code pg_notify} on the schema's channel, sent by a daemon
 * thread over its own connection right after each local commit, outside the append transaction. Two reasons: a
 * NOTIFY inside the append transaction would hold PostgreSQL's database-wide notification lock through the append's
 * commit flush (serializing the commits of every store in the database), and commits that happen while a
 * notification is in flight are coalesced into the next one. The notifying session runs with
 * {@code synchronous_commit = off}: a notification carries no data, and a lost one is covered by the subscribers'
 * polling. Failures are logged and the connection is reopened for the next notification.
 */
public final class CommitNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitNotifier.class);

    private final String jdbcUrl;
    private final SchemaName schema;
    private final String storeName;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wanted = lock.newCondition();
    private final Thread thread;
    private long pendingHead = -1;
    private boolean closed;
    private Connection connection;
    private PreparedStatement notify;
    private volatile int backendPid = -1;

    public CommitNotifier(String jdbcUrl, SchemaName schema, String storeName) {
        this.jdbcUrl = jdbcUrl;
        this.schema = schema;
        this.storeName = storeName;
        this.thread = Thread.ofPlatform().name("factum-notify-" + schema.name()).daemon().start(this::run);
    }

    /** Backend pid of the notifying connection (-1 while there is none): notifications from it are our own. */
    public int backendPid() {
        return backendPid;
    }

    /** Asks for a notification that events up to {@code head} are committed; returns at once. */
    public void committed(long head) {
        lock.lock();
        try {
            pendingHead = Math.max(pendingHead, head);
            wanted.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            long head;
            lock.lock();
            try {
                while (pendingHead < 0 && !closed) wanted.awaitUninterruptibly();
                if (pendingHead < 0) break;
                head = pendingHead;
                pendingHead = -1;
            } finally {
                lock.unlock();
            }
            send(head);
        }
        closeConnection();
    }

    private void send(long head) {
        try {
            if (connection == null) connect();
            notify.setString(1, schema.channel());
            notify.setString(2, Long.toString(head));
            notify.execute();
        } catch (SQLException e) {
            LOG.warn("{}: cannot notify other processes of commits up to position {} ({}); they see them at their"
                    + " next poll", storeName, head, e.getMessage());
            closeConnection();
        }
    }

    private void connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "factum-notify:" + schema.name());
        Connection c = DriverManager.getConnection(jdbcUrl, props);
        try (Statement session = c.createStatement()) {
            session.execute("SET synchronous_commit = off");
            notify = c.prepareStatement("SELECT pg_notify(?, ?)");
            backendPid = c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            connection = c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private void closeConnection() {
        try {
            if (connection != null) connection.close();
        } catch (SQLException ignored) {
            // broken already
        } finally {
            connection = null;
            notify = null;
        }
    }

    /** Sends what is pending, then stops. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wanted.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

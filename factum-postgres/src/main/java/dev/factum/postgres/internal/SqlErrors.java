// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import dev.factum.event.InvalidEventException;
import dev.factum.store.DuplicateEventIdException;
import dev.factum.store.EventStoreException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns PostgreSQL errors (by SQLState) into Factum's exceptions. Messages name the operation and
 * the store; the driver's exception is kept as the cause.
 */
public final class SqlErrors {
    private static final Pattern KEY_UUID = Pattern.compile("\\(event_id\\)=\\(([0-9a-fA-F-]{36})\\)");

    private SqlErrors() {
    }

    /**
     * True if the connection that raised {@code e} is unusable: class 08 (connection exception), or the server ended
     * the session (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
     */
    public static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) return true;
            }
        }
        return false;
    }

    /** The Factum exception for {@code e}, raised while doing {@code operation} (e.g. "append to Account-1") on {@code store}. */
    public static RuntimeException translate(String operation, String store, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = operation + " on " + store;
        if (isConnectionFailure(e)) {
            return new EventStoreException(where + " failed: the connection to PostgreSQL was lost (" + state + ": "
                    + e.getMessage() + "); the store reconnects on the next use", e);
        }
        switch (state) {
            case "23505": {
                String constraint = constraint(e);
                if ("events_event_id_key".equals(constraint)) {
                    UUID id = duplicateId(e);
                    if (id != null) return new DuplicateEventIdException(id, "it was stored concurrently, outside this append");
                }
                return new EventStoreException(where + " failed: unique constraint " + constraint + " was violated; a"
                        + " writer that bypasses Factum's append path is writing to the same schema", e);
            }
            case "22P05":
                return new InvalidEventException(where + " failed: PostgreSQL cannot store the NUL character (\\u0000) in"
                        + " JSONB or text: " + e.getMessage());
            case "22P02":
                return new InvalidEventException(where + " failed: a payload or metadata is not valid JSON for PostgreSQL: "
                        + e.getMessage());
            case "3F000":
            case "42P01":
                return new EventStoreException(where + " failed: the schema or its tables are missing (dropped while the"
                        + " store was open?): " + e.getMessage(), e);
            case "57014":
                return new EventStoreException(where + " was cancelled (statement timeout or cancel request)", e);
            case "40P01":
            case "40001":
                return new EventStoreException(where + " was aborted by PostgreSQL (" + state + "); retry it", e);
            default:
                return new EventStoreException(where + " failed (" + state + "): " + e.getMessage(), e);
        }
    }

    private static String constraint(SQLException e) {
        if (e instanceof PSQLException psql) {
            ServerErrorMessage message = psql.getServerErrorMessage();
            if (message != null && message.getConstraint() != null) return message.getConstraint();
        }
        return "(unknown)";
    }

    private static UUID duplicateId(SQLException e) {
        if (!(e instanceof PSQLException psql) || psql.getServerErrorMessage() == null) return null;
        String detail = psql.getServerErrorMessage().getDetail();
        if (detail == null) return null;
        Matcher m = KEY_UUID.matcher(detail);
        return m.find() ? UUID.fromString(m.group(1)) : null;
    }
}

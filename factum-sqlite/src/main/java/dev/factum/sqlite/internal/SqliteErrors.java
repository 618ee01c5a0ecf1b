// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.store.EventStoreException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/**
 * The one place where SQLite's error codes become Factum errors: each {@link SQLException} is turned into an
 * {@link EventStoreException} that names the operation and says in words what went wrong (and, where it is so, that
 * retrying is safe).
 */
public final class SqliteErrors {
    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int READONLY = 8;
    private static final int IOERR = 10;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int CONSTRAINT = 19;
    private static final int NOTADB = 26;

    private SqliteErrors() {
    }

    /** {@code operation} failed because of {@code e}: the error to throw, naming both. */
    public static EventStoreException translate(String operation, SQLException e) {
        return new EventStoreException(operation + " failed: " + reason(e), e);
    }

    /** Whether {@code e} is a violation of a unique key (a stream version or an event id stored already). */
    public static boolean isUniqueViolation(SQLException e) {
        int code = resultCode(e);
        return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE.code
                || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY.code;
    }

    private static String reason(SQLException e) {
        if (isUniqueViolation(e)) {
            return "another writer stored the same stream version or event id first (" + e.getMessage()
                    + "); the transaction was rolled back, so retrying the append with the same event ids is safe";
        }
        return switch (resultCode(e) & 0xff) {
            case BUSY, LOCKED -> "the database file stayed locked by another connection or process for longer than"
                    + " the busy timeout; nothing was written, retrying is safe (" + e.getMessage() + ")";
            case READONLY -> "the database file is read-only (" + e.getMessage() + ")";
            case IOERR -> "the disk reported an I/O error (" + e.getMessage() + ")";
            case CORRUPT, NOTADB -> "the file is not a healthy SQLite database (" + e.getMessage() + ")";
            case FULL -> "the disk is full (" + e.getMessage() + ")";
            case CANTOPEN -> "the database file cannot be opened: check the directory exists and is writable ("
                    + e.getMessage() + ")";
            case CONSTRAINT -> "a constraint of the schema was violated (" + e.getMessage() + ")";
            default -> e.getMessage();
        };
    }

    private static int resultCode(SQLException e) {
        if (e instanceof SQLiteException sqlite && sqlite.getResultCode() != null) return sqlite.getResultCode().code;
        return e.getErrorCode();
    }
}

// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * The writer connection as a checkpoint's or an inbox's work sees it: everything works except ending the transaction or
 * the connection ({@code commit}, {@code rollback}, {@code close}, {@code setAutoCommit}, savepoint release), which
 * the checkpoint store or inbox does itself — so the work's effect and the checkpoint or inbox entry always commit
 * together.
 */
public final class TransactionConnection {
    private static final Set<String> REFUSED = Set.of("commit", "rollback", "close", "setAutoCommit", "abort",
            "releaseSavepoint", "setReadOnly", "setTransactionIsolation");

    private TransactionConnection() {
    }

    /** {@code connection}, refusing the calls that would end the checkpoint's transaction. */
    public static Connection guard(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> invoke(connection, method, args);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                handler);
    }

    private static Object invoke(Connection connection, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (REFUSED.contains(name) && !(name.equals("rollback") && args != null && args.length == 1)) {
            throw new SQLException("Connection." + name + "() is not allowed inside a checkpoint transaction (nor an"
                    + " inbox's): the store commits the work together with the checkpoint or inbox entry (throw to roll"
                    + " both back)");
        }
        if (name.equals("isWrapperFor")) return false;
        if (name.equals("unwrap")) throw new SQLException("the store transaction's connection cannot be unwrapped");
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

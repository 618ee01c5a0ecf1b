// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import java.util.List;

/** Lets tests of {@code dev.factum.postgres} see the migration list. */
public final class MigrationsAccess {
    private MigrationsAccess() {
    }

    public static List<String> files() {
        return Migrations.FILES;
    }
}

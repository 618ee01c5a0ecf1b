// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code factum} command line ({@link dev.factum.cli.FactumCli}): append, read, read-all, tail and stats on a
 * SQLite file or PostgreSQL, with one-line errors and documented exit codes. It will grow into the admin CLI. No
 * nulls cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.cli;

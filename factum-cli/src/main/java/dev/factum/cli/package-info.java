// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code factum} command line ({@link dev.factum.cli.FactumCli}): append, read, read-all, tail, stats and
 * dead-letters (list, show, replay, discard) on a SQLite file or PostgreSQL, with one-line errors and documented exit
 * codes. No nulls cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.cli;

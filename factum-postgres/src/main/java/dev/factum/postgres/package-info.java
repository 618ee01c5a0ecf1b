// SPDX-License-Identifier: Apache-2.0
/**
 * The PostgreSQL store: {@link dev.factum.postgres.PostgresEventStore} (opened with a
 * {@link dev.factum.postgres.PostgresConfig}) and its {@link dev.factum.postgres.PostgresCheckpointStore}. Events keep
 * a gap-free global order under concurrent writers in any number of processes. No nulls cross this API; absent
 * means {@link java.util.Optional}.
 */
package dev.factum.postgres;

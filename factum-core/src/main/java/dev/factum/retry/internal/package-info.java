// SPDX-License-Identifier: Apache-2.0
/**
 * Internals the durable dead-letter stores share: how a dead letter's headers and attempts are kept as JSON, and the
 * wording of a change its state forbids. Not part of the public API: applications must not use it, and it changes
 * without notice.
 */
package dev.factum.retry.internal;

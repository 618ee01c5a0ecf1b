// SPDX-License-Identifier: Apache-2.0
/** Internals of the command and query buses. Not part of the public API. */
package dev.factum.command.internal;

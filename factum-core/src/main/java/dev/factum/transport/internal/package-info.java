// SPDX-License-Identifier: Apache-2.0
/** Machinery shared by the in-process transport and the relay. Not an API: may change without notice. */
package dev.factum.transport.internal;

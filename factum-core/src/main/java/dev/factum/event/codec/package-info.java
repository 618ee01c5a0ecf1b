// SPDX-License-Identifier: Apache-2.0
/**
 * JSON codecs: {@link dev.factum.event.codec.EventCodec} maps stable type names to records and runs the
 * {@link dev.factum.event.codec.Upcaster}s that bring events stored in an older shape to the current one, and
 * {@link dev.factum.event.codec.MetadataCodec} is the stored form of metadata. No nulls cross this API; absent
 * values are {@code Optional}.
 */
package dev.factum.event.codec;

// SPDX-License-Identifier: Apache-2.0
/**
 * JSON codecs: {@link dev.factum.event.codec.EventCodec} maps stable type names to records, and
 * {@link dev.factum.event.codec.MetadataCodec} is the stored form of metadata.
 */
package dev.factum.event.codec;

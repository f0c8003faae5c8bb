/**
 * Avro in the Confluent wire format (magic byte, schema id, Avro binary): serdes over a schema registry client,
 * decoding that allocates only in proportion to the bytes received.
 */
package org.fgclip2.serialization;

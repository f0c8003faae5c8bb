package org.fgclip2.serialization.testdata;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Avro binary written by hand, value by value, so that tests can build records no Avro encoder would write:
 * counts and lengths that lie, over-long varints, invalid UTF-8. Follows the "Binary encoding" section of the
 * Avro specification, independently of Avro's own encoder.
 */
public final class AvroBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An empty Avro body. */
    public static AvroBytes body() {
        return new AvroBytes();
    }

    /** A Confluent header (magic byte 0, big-endian schema id) to which the Avro body is appended. */
    public static AvroBytes confluent(int schemaId) {
        return body().raw(0, schemaId >>> 24, schemaId >>> 16, schemaId >>> 8, schemaId);
    }

    /** An int or long: zig-zag, then 7 bits a byte, low bits first, the high bit saying more follow. */
    public AvroBytes varint(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7fL) != 0) {
            out.write((int) ((zigZag & 0x7f) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return this;
    }

    /** A string: its UTF-8 length, then its UTF-8 bytes. */
    public AvroBytes string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return varint(utf8.length).raw(utf8);
    }

    /** A bytes value, or a string whose bytes need not be UTF-8: the length, then the bytes. */
    public AvroBytes bytes(byte[] value) {
        return varint(value.length).raw(value);
    }

    public AvroBytes bool(boolean value) {
        return raw(value ? 1 : 0);
    }

    public AvroBytes float32(float value) {
        return raw(ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    }

    public AvroBytes float64(double value) {
        return raw(ByteBuffer.allocate(Double.BYTES).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
    }

    /** Bytes as they are; each int gives its low 8 bits. */
    public AvroBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    public AvroBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public int length() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}

package org.fgclip2.serialization;

import java.nio.ByteBuffer;
import org.fgclip2.serialization.WireFormatException.Reason;

/** The 5-byte header of the Confluent wire format: magic byte 0, then the schema id as a big-endian int. */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_LENGTH = 5;

    private WireFormat() {}

    static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /** The schema id in the header of {@code payload}, after checking that there is such a header. */
    static int schemaId(String topic, byte[] payload) {
        if (payload.length == 0) {
            throw new WireFormatException(Reason.EMPTY_PAYLOAD,
                    "Empty payload on topic '" + topic + "': a Confluent Avro record has at least the 5-byte header");
        }
        if (payload.length < HEADER_LENGTH) {
            throw new WireFormatException(Reason.TOO_SHORT,
                    "Payload of " + payload.length + " byte(s) on topic '" + topic
                            + "' is shorter than the 5-byte Confluent header (magic byte 0 + 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new WireFormatException(Reason.WRONG_MAGIC_BYTE,
                    String.format("Payload on topic '%s' starts with byte 0x%02x, not the Confluent magic byte 0x00:"
                            + " it was not written by a Confluent-format Avro serializer (first bytes: %s)",
                            topic, payload[0], hexPrefix(payload)));
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    private static String hexPrefix(byte[] payload) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(payload.length, 16); i++) {
            hex.append(String.format("%02x", payload[i]));
        }
        return hex + (payload.length > 16 ? "…" : "");
    }
}

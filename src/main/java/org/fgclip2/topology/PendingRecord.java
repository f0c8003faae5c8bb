package org.fgclip2.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * An accepted record (an image event, or a label definition) waiting for the model, as kept in a changelogged
 * pending store: the consumed record itself, so that a crash between poll and output loses nothing and a dead
 * letter can carry the original bytes, with the headers its outputs carry.
 *
 * @param acceptedAtMillis when this instance accepted it (for the batch wait and queue metrics)
 */
record PendingRecord(ConsumedRecord source, long acceptedAtMillis) {

    /** Format 2 adds the carried headers; format 1, written before, is still read (as a record without headers). */
    private static final byte FORMAT = 2;
    private static final byte FORMAT_WITHOUT_HEADERS = 1;

    /** Store key of an image: sorts in offset order within a partition. */
    String storeKey() {
        return String.format("%010d:%019d", source.partition(), source.offset());
    }

    long timestamp() {
        return source.timestamp();
    }

    byte[] toBytes() {
        byte[] key = source.key();
        byte[] value = source.value();
        try (ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + (value == null ? 0 : value.length));
             DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT);
            out.writeUTF(source.topic());
            out.writeInt(source.partition());
            out.writeLong(source.offset());
            out.writeLong(source.timestamp());
            writeBytes(out, key);
            writeBytes(out, value);
            out.writeLong(acceptedAtMillis);
            out.writeInt(source.headers().size());
            for (Header h : source.headers()) {
                out.writeUTF(h.key());
                writeBytes(out, h.value());
            }
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PendingRecord fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_WITHOUT_HEADERS) {
                throw new IllegalStateException("pending store holds format " + format + ", this version reads "
                        + FORMAT_WITHOUT_HEADERS + " and " + FORMAT + ": downgrade is not supported");
            }
            String topic = in.readUTF();
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            long acceptedAt = in.readLong();
            List<Header> headers = new ArrayList<>();
            for (int n = format == FORMAT ? in.readInt() : 0; n > 0; n--) {
                headers.add(new RecordHeader(in.readUTF(), readBytes(in)));
            }
            return new PendingRecord(new ConsumedRecord(topic, partition, offset, timestamp, key, value, headers),
                    acceptedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n < 0 ? null : in.readNBytes(n);
    }
}

package org.fgclip2.serialization;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Reads Avro's binary encoding from a slice of a byte array so that decoding allocates in proportion to the
 * bytes received. Avro's own {@code BinaryDecoder} allocates what a record claims before reading it (an array of
 * the claimed count, a buffer of the claimed length) and its limits are JVM-wide system properties, so a 22-byte
 * record claiming two billion array items ends in {@link OutOfMemoryError}. Here every claim is checked against
 * the bytes that remain before anything is allocated or looped over:
 * <ul>
 *   <li>a string, bytes or fixed value may claim no more bytes than remain;
 *   <li>an array or map block may claim no more items (entries) than bytes remain, and all the blocks of a record
 *       together no more items than its body has bytes. Every item of our schemas takes at least one byte, so a
 *       valid record always passes; an array of items that take no bytes at all ({@code null}, an empty record) is
 *       therefore limited to as many items as bytes remain, a deliberate restriction;
 *   <li>strings are strict UTF-8: a malformed sequence is an error, where Avro would substitute U+FFFD;
 *   <li>negative lengths, varints longer than 10 bytes, varints beyond the 32 bits of an int or the 64 of a long,
 *       and booleans other than 0 and 1 are errors.
 * </ul>
 * A record that ends too soon, or claims more than it has, throws an {@link EOFException}; any other break of the
 * encoding a {@link MalformedAvroException}. Both messages name what the record claims. One instance per record.
 */
final class BoundedBinaryDecoder extends Decoder {

    private static final VarHandle LITTLE_ENDIAN_FLOAT =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LITTLE_ENDIAN_DOUBLE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private enum BlockKind {
        ARRAY("an array", "items"),
        MAP("a map", "entries");

        final String name;
        final String items;

        BlockKind(String name, String items) {
            this.name = name;
            this.items = items;
        }
    }

    private final byte[] bytes;
    private final int length;
    private final int end;
    private int position;
    private long itemsClaimed;
    /** Fresh decoders report malformed input rather than replace it. */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    /** Validation decodes through this small window, so checking a string allocates nothing in proportion to it. */
    private final CharBuffer utf8Window = CharBuffer.allocate(256);

    BoundedBinaryDecoder(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.length = length;
        this.position = offset;
        this.end = offset + length;
    }

    boolean isEnd() {
        return position == end;
    }

    @Override
    public void readNull() {}

    @Override
    public boolean readBoolean() throws IOException {
        require(1, "a boolean");
        byte value = bytes[position++];
        if (value != 0 && value != 1) {
            throw malformed(String.format("a boolean is the byte 0x%02x, not 0 or 1", value));
        }
        return value == 1;
    }

    @Override
    public int readInt() throws IOException {
        long zigZag = readVarint("an int");
        if (zigZag >>> Integer.SIZE != 0) {
            throw malformed("an int is encoded as " + decodeZigZag(zigZag) + ", beyond the 32 bits of an Avro int");
        }
        return (int) decodeZigZag(zigZag);
    }

    @Override
    public long readLong() throws IOException {
        return readLong("a long");
    }

    @Override
    public float readFloat() throws IOException {
        require(Float.BYTES, "a float");
        float value = (float) LITTLE_ENDIAN_FLOAT.get(bytes, position);
        position += Float.BYTES;
        return value;
    }

    @Override
    public double readDouble() throws IOException {
        require(Double.BYTES, "a double");
        double value = (double) LITTLE_ENDIAN_DOUBLE.get(bytes, position);
        position += Double.BYTES;
        return value;
    }

    /** Generated classes with {@code stringType=String} read their strings here. */
    @Override
    public String readString() throws IOException {
        int byteLength = readLength("a string");
        requireUtf8(byteLength);
        String value = new String(bytes, position, byteLength, StandardCharsets.UTF_8);
        position += byteLength;
        return value;
    }

    /** Generic records read their strings here. */
    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int byteLength = readLength("a string");
        requireUtf8(byteLength);
        Utf8 value = old != null ? old : new Utf8();
        value.setByteLength(byteLength);
        System.arraycopy(bytes, position, value.getBytes(), 0, byteLength);
        position += byteLength;
        return value;
    }

    @Override
    public void skipString() throws IOException {
        skip(readLength("a string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int byteLength = readLength("a bytes value");
        ByteBuffer value = old != null && old.capacity() >= byteLength ? old.clear() : ByteBuffer.allocate(byteLength);
        value.put(bytes, position, byteLength).flip();
        position += byteLength;
        return value;
    }

    @Override
    public void skipBytes() throws IOException {
        skip(readLength("a bytes value"));
    }

    @Override
    public void readFixed(byte[] target, int start, int byteLength) throws IOException {
        require(byteLength, "a fixed value");
        System.arraycopy(bytes, position, target, start, byteLength);
        position += byteLength;
    }

    @Override
    public void skipFixed(int byteLength) throws IOException {
        require(byteLength, "a fixed value");
        position += byteLength;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public long readArrayStart() throws IOException {
        return readBlockCount(BlockKind.ARRAY);
    }

    @Override
    public long arrayNext() throws IOException {
        return readBlockCount(BlockKind.ARRAY);
    }

    @Override
    public long skipArray() throws IOException {
        return skipSizedBlocks(BlockKind.ARRAY);
    }

    @Override
    public long readMapStart() throws IOException {
        return readBlockCount(BlockKind.MAP);
    }

    @Override
    public long mapNext() throws IOException {
        return readBlockCount(BlockKind.MAP);
    }

    @Override
    public long skipMap() throws IOException {
        return skipSizedBlocks(BlockKind.MAP);
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    /**
     * A negative count announces a block that also gives its size in bytes. Reading needs only the count, but a
     * size the record cannot hold still shows it corrupt, so it is checked all the same.
     */
    private long readBlockCount(BlockKind kind) throws IOException {
        long count = readLong(kind.name + "'s block count");
        if (count >= 0) {
            return claim(count, kind);
        }
        readBlockSize(kind);
        return claim(-count, kind);
    }

    /**
     * Jumps over the blocks that give their size, so that the caller only walks, item by item, a block that does
     * not; returns that block's count, 0 at the end of the array or map.
     */
    private long skipSizedBlocks(BlockKind kind) throws IOException {
        long count = readLong(kind.name + "'s block count");
        while (count < 0) {
            skip(readBlockSize(kind));
            count = readLong(kind.name + "'s block count");
        }
        return claim(count, kind);
    }

    private int readBlockSize(BlockKind kind) throws IOException {
        long size = readLong(kind.name + "'s block size");
        if (size < 0) {
            throw malformed("a block of " + kind.name + " claims a negative size, " + size + " bytes");
        }
        if (size > remaining()) {
            throw new EOFException("a block of " + kind.name + " claims " + size + " bytes but " + whatRemains());
        }
        return (int) size;
    }

    /** Every item takes at least one byte, so a count beyond the bytes left cannot be honest. */
    private long claim(long count, BlockKind kind) throws IOException {
        if (count < 0 || count > remaining()) {
            // a negated Long.MIN_VALUE is still negative; unsigned, it prints as what was claimed
            throw new EOFException(kind.name + " claims " + Long.toUnsignedString(count) + " " + kind.items
                    + " but " + whatRemains());
        }
        itemsClaimed += count;
        if (itemsClaimed > length) {
            // only items that take no bytes get here: blocks of them could otherwise each claim all that remains
            throw malformed("the arrays and maps of the record claim " + itemsClaimed + " items and entries in all,"
                    + " more than the " + length + " bytes of its Avro body; items that take no bytes (null, an empty"
                    + " record) are limited to one per byte");
        }
        return count;
    }

    private int readLength(String what) throws IOException {
        long byteLength = readLong(what + "'s length");
        if (byteLength < 0) {
            throw malformed(what + " claims a negative length, " + byteLength + " bytes");
        }
        if (byteLength > remaining()) {
            throw new EOFException(what + " claims " + byteLength + " bytes but " + whatRemains());
        }
        return (int) byteLength;
    }

    /** The raw varint, still zig-zag encoded; at most 10 bytes, and the 10th may only hold the 64th bit. */
    private long readVarint(String what) throws IOException {
        long value = 0;
        for (int shift = 0; shift < Long.SIZE; shift += 7) {
            if (position == end) {
                throw new EOFException("the varint of " + what + " runs past the end of the record");
            }
            byte next = bytes[position++];
            if (shift == 63 && (next & 0x7e) != 0) {
                throw malformed("the varint of " + what + " does not fit in 64 bits");
            }
            value |= (long) (next & 0x7f) << shift;
            if (next >= 0) {
                return value;
            }
        }
        throw malformed("the varint of " + what + " runs on past 10 bytes");
    }

    private long readLong(String what) throws IOException {
        return decodeZigZag(readVarint(what));
    }

    private static long decodeZigZag(long zigZag) {
        return (zigZag >>> 1) ^ -(zigZag & 1);
    }

    private void requireUtf8(int byteLength) throws MalformedAvroException {
        ByteBuffer in = ByteBuffer.wrap(bytes, position, byteLength);
        utf8.reset();
        CoderResult result;
        do {
            result = utf8.decode(in, utf8Window.clear(), true);
        } while (result.isOverflow());
        if (result.isError()) {
            int bad = in.position();
            throw new MalformedAvroException("a string of " + byteLength + " bytes is not valid UTF-8: byte(s) "
                    + HexFormat.of().formatHex(bytes, bad, bad + result.length()) + " at offset " + (bad - position)
                    + " of the string are not a UTF-8 character. Avro strings must be UTF-8: fix the writer, or the"
                    + " record is corrupt");
        }
    }

    private void require(int byteCount, String what) throws EOFException {
        if (byteCount > remaining()) {
            throw new EOFException(what + " needs " + byteCount + (byteCount == 1 ? " byte" : " bytes") + " but "
                    + whatRemains());
        }
    }

    /** Not {@code position += read...()}: that adds to the position as it was before the read moved it. */
    private void skip(int byteCount) {
        position += byteCount;
    }

    private int remaining() {
        return end - position;
    }

    private String whatRemains() {
        int remaining = remaining();
        return remaining == 1 ? "only 1 byte of the record remains" : "only " + remaining + " bytes of the record remain";
    }

    private static MalformedAvroException malformed(String problem) {
        return new MalformedAvroException(problem + ": the record is corrupt or hostile, or not written with that schema");
    }
}

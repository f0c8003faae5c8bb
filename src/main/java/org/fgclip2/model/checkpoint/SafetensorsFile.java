package org.fgclip2.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code .safetensors} file, read through memory mappings: tensor bytes are never copied onto the Java
 * heap, so a multi-gigabyte checkpoint "loads" in milliseconds and costs resident memory only for the pages
 * that are used.
 *
 * <p>Format: an unsigned 64-bit little-endian header length, a JSON header mapping each tensor name to
 * {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header), an optional
 * {@code __metadata__} object, then the raw little-endian tensor bytes.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Headers of real checkpoints are a few hundred KiB; anything this large is not a safetensors file. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates the header; tensor bytes are mapped on demand. */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new CheckpointException(path + " is not a safetensors file: only " + fileSize + " bytes");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
                throw new CheckpointException(path + " is not a safetensors file (header length "
                        + Long.toUnsignedString(headerLength) + ", file size " + fileSize + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            JsonNode root;
            try {
                root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CheckpointException(path + " has a header that is not valid JSON: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new CheckpointException(path + " has a header that is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), fileSize - dataStart));
                }
            }
            checkNoOverlap(path, tensors.values());
            return new SafetensorsFile(path, channel, dataStart,
                    Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode node, long dataSize) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || shape == null || !shape.isArray() || offsets == null || offsets.size() != 2) {
            throw new CheckpointException(path + ": malformed header entry for tensor '" + name + "'");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong(-1);
            if (dims[i] < 0) {
                throw new CheckpointException(path + ": tensor '" + name + "' has a negative dimension");
            }
        }
        TensorInfo info = new TensorInfo(name, TensorDType.parse(dtype.asText(), name), dims,
                offsets.get(0).asLong(-1), offsets.get(1).asLong(-1));
        if (info.begin() < 0 || info.end() < info.begin() || info.end() > dataSize) {
            throw new CheckpointException(path + ": tensor '" + name + "' lies outside the file (offsets "
                    + info.begin() + ".." + info.end() + ", data size " + dataSize + "); the file is truncated");
        }
        if (Math.multiplyExact(info.elementCount(), info.dtype().bytes()) != info.byteLength()) {
            throw new CheckpointException(path + ": tensor '" + name + "' " + info.dtype() + info.shapeString()
                    + " needs " + info.elementCount() * info.dtype().bytes() + " bytes but has " + info.byteLength());
        }
        return info;
    }

    private static void checkNoOverlap(Path path, Iterable<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).begin() < sorted.get(i - 1).end()) {
                throw new CheckpointException(path + ": tensors '" + sorted.get(i - 1).name() + "' and '"
                        + sorted.get(i).name() + "' overlap");
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new CheckpointException("unexpected end of file while reading a safetensors header");
            }
        }
    }

    public Path path() {
        return path;
    }

    /** All tensors, by name in sorted order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(path + " has no tensor '" + name + "'");
        }
        return info;
    }

    /**
     * The raw little-endian bytes of a tensor as a read-only direct buffer backed by the file. Never write
     * through it (or hand it to an engine op that works in place): the mapping is read-only.
     */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new CheckpointException(path + ": tensor '" + name + "' is larger than 2 GiB, which one"
                    + " memory mapping cannot hold");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException("cannot map tensor '" + name + "' of " + path + ": " + e.getMessage(), e);
        }
    }

    /** A floating-point tensor widened to {@code float}, on the heap: for small tensors and tests. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        ByteBuffer b = bytes(name);
        float[] out = new float[Math.toIntExact(info.elementCount())];
        switch (info.dtype()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.f16ToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.bf16ToFloat(b.getShort(i * 2));
                }
            }
            default -> throw new CheckpointException("tensor '" + name + "' is " + info.dtype() + ", not floating point");
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

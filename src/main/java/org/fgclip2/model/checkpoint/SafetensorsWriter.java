package org.fgclip2.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@code .safetensors} file as the Python library does: keys sorted, the JSON header space-padded to a
 * multiple of 8 bytes, tensors stored back to back in key order. Values are produced tensor by tensor through a
 * {@link TensorData} callback, so writing a multi-GB checkpoint needs memory for one tensor at a time.
 */
public final class SafetensorsWriter {

    /** Produces the float values of one tensor, in row-major order. */
    @FunctionalInterface
    public interface TensorData {
        float[] values(String name, long[] shape);
    }

    private SafetensorsWriter() {
    }

    public static void write(Path file, Map<String, long[]> shapes, TensorDType dtype, Map<String, String> metadata,
                             TensorData data) throws IOException {
        if (dtype != TensorDType.F32 && dtype != TensorDType.F16 && dtype != TensorDType.BF16) {
            throw new IllegalArgumentException("can write F32, F16 or BF16 weights, not " + dtype);
        }
        Map<String, long[]> sorted = new TreeMap<>(shapes);
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, long[]> e : sorted.entrySet()) {
            long count = 1;
            for (long d : e.getValue()) {
                count = Math.multiplyExact(count, d);
            }
            long bytes = count * dtype.bytes();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", dtype.name());
            var shape = entry.putArray("shape");
            for (long d : e.getValue()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = json.writeValueAsBytes(header);
        int padded = (headerBytes.length + 7) / 8 * 8;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(headerBytes);
            out.write(" ".repeat(padded - headerBytes.length).getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, long[]> e : sorted.entrySet()) {
                float[] values = data.values(e.getKey(), e.getValue());
                ByteBuffer buf = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    switch (dtype) {
                        case F32 -> buf.putFloat(v);
                        case F16 -> buf.putShort(HalfFloats.floatToF16(v));
                        default -> buf.putShort(HalfFloats.floatToBf16(v));
                    }
                }
                out.write(buf.array());
            }
        }
    }
}

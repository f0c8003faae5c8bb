package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.fgclip2.model.checkpoint.Checkpoint;
import org.fgclip2.model.checkpoint.CheckpointException;
import org.fgclip2.model.checkpoint.HalfFloats;
import org.fgclip2.model.checkpoint.TensorInfo;

/**
 * Hands checkpoint tensors to the engine, checking each shape against the configuration.
 *
 * <p>F32 tensors on the CPU are wrapped zero-copy around the read-only file mapping (never mutate them). F16 is
 * handed over as F16 and converted by the engine. BF16 is widened to F32 in Java first, because BF16 tensors abort
 * DJL's PyTorch engine.
 */
public final class WeightLoader {

    private final Checkpoint checkpoint;
    private final NDManager manager;
    private final DataType computeType;
    private final Set<String> used = new HashSet<>();

    /** @param computeType the data type of every loaded tensor: float32, or float16 (never bfloat16) */
    public WeightLoader(Checkpoint checkpoint, NDManager manager, DataType computeType) {
        this.checkpoint = checkpoint;
        this.manager = manager;
        this.computeType = computeType;
    }

    /** Loads {@code key}, which must have exactly {@code shape}, in the compute precision. */
    public NDArray tensor(String key, long... shape) {
        if (!checkpoint.contains(key)) {
            throw new CheckpointException("checkpoint " + checkpoint.folder() + " lacks tensor '" + key + "' "
                    + Arrays.toString(shape) + hintFor(key));
        }
        TensorInfo info = checkpoint.info(key);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new CheckpointException("tensor '" + key + "' has shape " + info.shapeString() + " but config.json"
                    + " implies " + Arrays.toString(shape) + ": config.json and model.safetensors do not belong together");
        }
        used.add(key);
        NDArray stored = switch (info.dtype()) {
            case F32 -> manager.create(checkpoint.bytes(key), new Shape(shape), DataType.FLOAT32);
            case F16 -> manager.create(checkpoint.bytes(key), new Shape(shape), DataType.FLOAT16);
            case BF16 -> manager.create(widenBf16(checkpoint.bytes(key), info.elementCount()), new Shape(shape),
                    DataType.FLOAT32);
            case F64 -> manager.create(checkpoint.floats(key), new Shape(shape));
            default -> throw new CheckpointException("tensor '" + key + "' is " + info.dtype()
                    + "; weights must be F32, F16, BF16 or F64");
        };
        if (stored.getDataType() == computeType) {
            return stored;
        }
        NDArray converted = stored.toType(computeType, false);
        stored.close();
        return converted;
    }

    /** A scalar parameter (shape [1]) as a Java float, e.g. {@code logit_scale}. */
    public float scalar(String key) {
        if (!checkpoint.contains(key)) {
            throw new CheckpointException("checkpoint " + checkpoint.folder() + " lacks tensor '" + key + "'");
        }
        TensorInfo info = checkpoint.info(key);
        if (info.elementCount() != 1) {
            throw new CheckpointException("tensor '" + key + "' should hold one value, has shape " + info.shapeString());
        }
        used.add(key);
        return checkpoint.floats(key)[0];
    }

    /** Keys present in the checkpoint that no block asked for (e.g. training-only logit scales). */
    public Set<String> unusedKeys() {
        Set<String> unused = new TreeSet<>(checkpoint.keys());
        unused.removeAll(used);
        return unused;
    }

    private static ByteBuffer widenBf16(ByteBuffer bf16, long count) {
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            out.putFloat(HalfFloats.bf16ToFloat(bf16.getShort(i * 2)));
        }
        return out.flip();
    }

    private static String hintFor(String key) {
        if (key.startsWith("longtext_head") || key.startsWith("boxtext_head") || key.startsWith("dense_feature_head")
                || key.contains("position_embedding_ori") || key.contains("position_embedding_res")) {
            return " (a plain SigLIP 2 checkpoint has no FG-CLIP 2 heads or long-text position tables)";
        }
        return "";
    }
}

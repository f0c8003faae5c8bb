package org.fgclip2.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fgclip2.preprocess.PatchedImage;

/**
 * One forward of the vision tower over a batch. Image features are computed at once; the encoder output stays on
 * the device until {@link #close()} so that dense maps can be computed afterwards for just the images that need
 * them (the dense head is a full self-attention: not free).
 */
public final class ImageBatchEncoding implements AutoCloseable {

    private final FgClip2Inference owner;
    private final NDManager batchManager;
    private final List<PatchedImage> images;
    private final NDArray hiddenState;
    private final NDArray keyBias;
    private final float[][] normalized;
    private boolean closed;

    ImageBatchEncoding(FgClip2Inference owner, NDManager batchManager, List<PatchedImage> images,
                       NDArray hiddenState, NDArray keyBias, float[][] features) {
        this.owner = owner;
        this.batchManager = batchManager;
        this.images = images;
        this.hiddenState = hiddenState;
        this.keyBias = keyBias;
        this.normalized = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            normalized[i] = Vectors.l2Normalize(features[i]);
        }
    }

    public int size() {
        return images.size();
    }

    public List<PatchedImage> images() {
        return images;
    }

    /** L2-normalised image embeddings. */
    public float[][] embeddings() {
        return normalized;
    }

    /** Padded patch length this batch ran at. */
    public long paddedLength() {
        return hiddenState.getShape().get(1);
    }

    /** Dense maps of the given images of this batch (in the order asked). */
    public List<DenseMap> denseMaps(int... imageIndices) {
        if (closed) {
            throw new IllegalStateException("image batch already closed");
        }
        if (imageIndices.length == 0) {
            return List.of();
        }
        int dim = owner.info().config().embeddingSize();
        long padded = paddedLength();
        float[] dense = owner.onForwardThread(() -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray index = batchManager.create(toLongs(imageIndices));
                NDArray subset = hiddenState.get(index);
                NDArray bias = keyBias == null ? null : keyBias.get(index);
                return owner.model().denseFeatures(subset, bias).toType(DataType.FLOAT32, false).toFloatArray();
            }
        });
        List<DenseMap> maps = new ArrayList<>(imageIndices.length);
        for (int k = 0; k < imageIndices.length; k++) {
            PatchedImage image = images.get(imageIndices[k]);
            int cells = image.patchCount();
            float[] rows = Arrays.copyOfRange(dense, (int) (k * padded * dim), (int) ((k * padded + cells) * dim));
            float[] normalizedRows = new float[rows.length];
            for (int r = 0; r < cells; r++) {
                float[] n = Vectors.l2Normalize(Arrays.copyOfRange(rows, r * dim, (r + 1) * dim));
                System.arraycopy(n, 0, normalizedRows, r * dim, dim);
            }
            maps.add(new DenseMap(image.grid(), dim, rows, normalizedRows, image.originalWidth(), image.originalHeight()));
        }
        return maps;
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            batchManager.close();
        }
    }
}

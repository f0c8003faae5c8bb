package org.fgclip2.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.fgclip2.model.FgClip2Config;
import org.fgclip2.model.FgClip2Model;
import org.fgclip2.model.KeyMask;
import org.fgclip2.model.TextWalk;
import org.fgclip2.model.checkpoint.Checkpoint;
import org.fgclip2.preprocess.ImageProcessorConfig;
import org.fgclip2.preprocess.NaflexImageProcessor;
import org.fgclip2.preprocess.PatchBatch;
import org.fgclip2.preprocess.PatchedImage;
import org.fgclip2.tokenizer.CaptionTokenizer;
import org.fgclip2.tokenizer.TokenizedCaptions;

/**
 * FG-CLIP 2 loaded on one device, with its tokenizer and image processor: the batched API the CLI and the
 * topology use. Pre-processing (tokenizing, patching) is kept apart from the forward passes, and each forward runs
 * in its own {@link NDScope} and sub-manager so that native memory is freed batch by batch.
 *
 * <p>Thread-safe: one instance per device is shared by every thread. The weights are immutable; loading and every
 * forward run on the model's own {@link ForwardThread}, one after the other in the order asked (on a CPU concurrent
 * forwards would only fight over the same cores; on a GPU they would share one stream), while tokenizing, decoding
 * and patching run concurrently on the callers' threads.
 */
public final class FgClip2Inference implements AutoCloseable {

    private final NDManager manager;
    private final FgClip2Model model;
    private final CaptionTokenizer tokenizer;
    private final NaflexImageProcessor imageProcessor;
    private final ModelInfo info;
    private final InferenceOptions options;
    private final ForwardThread forwardThread;
    private ByteBuffer pixelBuffer;

    private FgClip2Inference(ForwardThread forwardThread, NDManager manager, FgClip2Model model,
                             CaptionTokenizer tokenizer, NaflexImageProcessor imageProcessor, ModelInfo info,
                             InferenceOptions options) {
        this.forwardThread = forwardThread;
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.imageProcessor = imageProcessor;
        this.info = info;
        this.options = options;
    }

    /**
     * Loads a checkpoint folder as published on the hub.
     *
     * @param name how the user named it (hub id or folder), recorded in {@link ModelInfo#id()}
     */
    public static FgClip2Inference load(Path folder, String name, InferenceOptions options) throws IOException {
        FgClip2Config config = FgClip2Config.load(folder.resolve("config.json"));
        ImageProcessorConfig processorConfig = ImageProcessorConfig.load(folder.resolve("preprocessor_config.json"));
        CaptionTokenizer tokenizer = CaptionTokenizer.load(folder);
        // the engine starts on the forward thread too: no other thread may ever run a libtorch kernel
        ForwardThread forwardThread = new ForwardThread("fgclip2-forward");
        try (Checkpoint checkpoint = Checkpoint.open(folder)) {
            return forwardThread.call(() -> {
                Engine engine = Engines.pytorch();
                JniUtils.setGradMode(false); // thread-local: the engine may have started on another thread
                Device device = options.device().resolve(engine);
                NDManager manager = engine.newBaseManager(device);
                try {
                    FgClip2Model model = FgClip2Model.load(config, checkpoint, manager, options.precision());
                    ModelInfo info = new ModelInfo(name + "@" + checkpoint.fingerprint(), name, config, device,
                            options.precision());
                    return new FgClip2Inference(forwardThread, manager, model, tokenizer,
                            new NaflexImageProcessor(processorConfig), info, options);
                } catch (RuntimeException e) {
                    manager.close();
                    throw e;
                }
            });
        } catch (IOException | RuntimeException e) {
            forwardThread.close();
            tokenizer.close();
            throw e;
        }
    }

    public ModelInfo info() {
        return info;
    }

    public FgClip2Model model() {
        return model;
    }

    public NaflexImageProcessor imageProcessor() {
        return imageProcessor;
    }

    public Scoring scoring() {
        return Scoring.of(model.logitScale(), model.logitBias());
    }

    /** Text features of one walk for any number of captions (split into forwards of at most maxTextBatch). */
    public TextEncoding embedTexts(List<String> texts, TextWalk walk) {
        int length = walk.tokenLength(info.config().text());
        TokenizedCaptions tokens = tokenizer.encode(texts, length);
        int dim = info.config().embeddingSize();
        float[][] features = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += options.maxTextBatch()) {
            int end = Math.min(texts.size(), start + options.maxTextBatch());
            float[] chunk = textForward(tokens, start, end, walk);
            for (int i = start; i < end; i++) {
                features[i] = Arrays.copyOfRange(chunk, (i - start) * dim, (i - start + 1) * dim);
            }
        }
        float[][] normalized = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            normalized[i] = Vectors.l2Normalize(features[i]);
        }
        return new TextEncoding(List.copyOf(texts), walk, tokens, normalized);
    }

    private float[] textForward(TokenizedCaptions tokens, int start, int end, TextWalk walk) {
        int length = tokens.length();
        long[] ids = Arrays.copyOfRange(tokens.inputIds(), start * length, end * length);
        int[] validLengths = Arrays.copyOfRange(tokens.validLengths(), start, end);
        return onForwardThread(() -> {
            try (NDManager batch = manager.newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray input = batch.create(ids, new Shape(end - start, length));
                NDArray bias = tokenizer.returnsAttentionMask() ? KeyMask.bias(batch, validLengths, length) : null;
                return model.textFeatures(input, walk, bias).toType(DataType.FLOAT32, false).toFloatArray();
            }
        });
    }

    /**
     * Runs the vision tower on images of any sizes in one forward, padded to the largest patch count of the batch
     * (the padded length does not change the results of the real patches). The caller closes the result.
     */
    public ImageBatchEncoding encodeImages(List<PatchedImage> images) {
        PatchBatch batch = PatchBatch.pad(images);
        int[][] shapes = new int[batch.batchSize()][];
        int[] valid = new int[batch.batchSize()];
        for (int b = 0; b < shapes.length; b++) {
            shapes[b] = new int[] {(int) batch.spatialShapes()[2 * b], (int) batch.spatialShapes()[2 * b + 1]};
            valid[b] = shapes[b][0] * shapes[b][1];
        }
        return onForwardThread(() -> {
            NDManager batchManager = manager.newSubManager();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray pixels = batchManager.create(pixelBuffer(batch.pixelValues()),
                        new Shape(batch.batchSize(), batch.length(), batch.patchDim()), DataType.FLOAT32)
                        .toType(info.precision().dataType(), false);
                NDArray bias = KeyMask.bias(batchManager, valid, batch.length());
                NDArray hidden = model.visionHiddenState(pixels, shapes, bias);
                float[] flat = model.imageFeatures(hidden, bias).toType(DataType.FLOAT32, false).toFloatArray();
                NDScope.unregister(hidden);
                if (bias != null) {
                    NDScope.unregister(bias);
                }
                return new ImageBatchEncoding(this, batchManager, List.copyOf(images), hidden, bias,
                        Vectors.rows(flat, info.config().embeddingSize()));
            } catch (RuntimeException e) {
                batchManager.close();
                throw e;
            }
        });
    }

    /**
     * The pixel values in a direct buffer reused from batch to batch (used on the forward thread only). Handing DJL a
     * float[] would make it allocate a fresh direct buffer per batch, tens of MiB each, which the JVM frees only when
     * a garbage collection happens to run: resident memory grew by gigabytes over a benchmark. On the CPU the tensor
     * wraps this buffer without a copy; it is closed at the end of the forward, before the buffer is reused.
     */
    private ByteBuffer pixelBuffer(float[] values) {
        long bytes = (long) values.length * Float.BYTES;
        if (pixelBuffer == null || pixelBuffer.capacity() < bytes) {
            pixelBuffer = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = pixelBuffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit((int) bytes);
        view.asFloatBuffer().put(values);
        return view;
    }

    /** Image embeddings only (normalised), releasing the batch at once. */
    public float[][] embedImages(List<PatchedImage> images) {
        try (ImageBatchEncoding encoding = encodeImages(images)) {
            return encoding.embeddings();
        }
    }

    /** Runs native work on the model's forward thread, after the work asked before it. */
    <T> T onForwardThread(Callable<T> work) {
        return forwardThread.call(work);
    }

    /**
     * Arrays alive on the model's manager: constant across batches when no batch leaks native memory (a gauge
     * of the labeller's metrics).
     */
    public int liveModelArrays() {
        return manager instanceof BaseNDManager base ? base.getManagedArrays().size() : -1;
    }

    @Override
    public void close() {
        forwardThread.close();
        manager.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return info.id() + " on " + info.device() + " (" + info.precision() + ")";
    }
}

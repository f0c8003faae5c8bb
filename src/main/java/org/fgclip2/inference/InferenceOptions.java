package org.fgclip2.inference;

import org.fgclip2.model.Precision;

/**
 * How a model is run.
 *
 * @param device {@code auto}: GPU 0 when visible, else CPU
 * @param precision F32 (the reference) or F16
 * @param maxTextBatch captions per text-tower forward; longer lists are split
 */
public record InferenceOptions(DeviceSpec device, Precision precision, int maxTextBatch) {

    /** Bounds the memory of one text forward; a label's prompts are far fewer. */
    public static final int MAX_TEXT_BATCH = 256;

    public InferenceOptions {
        if (maxTextBatch <= 0) {
            throw new IllegalArgumentException("maxTextBatch must be positive");
        }
    }

    /** On {@code device} in {@code precision}, with text forwards of at most {@link #MAX_TEXT_BATCH} captions. */
    public static InferenceOptions on(DeviceSpec device, Precision precision) {
        return new InferenceOptions(device, precision, MAX_TEXT_BATCH);
    }
}

package org.fgclip2.inference;

import org.fgclip2.model.Precision;

/**
 * How a model is run.
 *
 * @param device {@code auto} (default): GPU 0 when visible, else CPU
 * @param precision F32 (default, the reference) or F16
 * @param maxTextBatch captions per text-tower forward; longer lists are split (default 256)
 */
public record InferenceOptions(DeviceSpec device, Precision precision, int maxTextBatch) {

    public static final InferenceOptions DEFAULTS = new InferenceOptions(DeviceSpec.AUTO, Precision.F32, 256);

    public InferenceOptions {
        if (maxTextBatch <= 0) {
            throw new IllegalArgumentException("maxTextBatch must be positive");
        }
    }

    public InferenceOptions withDevice(DeviceSpec d) {
        return new InferenceOptions(d, precision, maxTextBatch);
    }

    public InferenceOptions withPrecision(Precision p) {
        return new InferenceOptions(device, p, maxTextBatch);
    }
}

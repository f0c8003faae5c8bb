package org.fgclip2.preprocess;

import org.fgclip2.image.PillowResize;
import org.fgclip2.image.RgbImage;

/**
 * The FG-CLIP 2 image processor (SigLIP 2 "NaFlex"), bit-exact with the official {@code Fgclip2ImageProcessor}
 * slow path for a given patch budget: the image keeps its aspect ratio and is resized to the largest multiple
 * of the patch size whose patch count fits the budget (up- or down-scaling), with Pillow's BILINEAR filter;
 * values are rescaled and normalised, then cut into patches.
 *
 * <p><b>Budgets are per image.</b> With {@code dynamic_max_patches} (the default) each image gets the bucket of
 * its own size. The official processor, given a batch, resizes every image against the largest bucket in the
 * batch, so an image's result would depend on what it is batched with; a streaming application must give the
 * same answer for an image whatever else arrives with it, hence this deliberate difference. A single image
 * gives identical results in both. Padding to a batch length is left to the caller ({@link PatchBatch}).
 *
 * <p>Thread-safe and immutable.
 */
public final class NaflexImageProcessor {

    private static final int CHANNELS = 3;

    private final ImageProcessorConfig config;
    /** The normalised float for every (channel, 0..255 value): the precision order of the slow path, exactly. */
    private final float[] normalized;

    public NaflexImageProcessor(ImageProcessorConfig config) {
        this.config = config;
        this.normalized = normalizationTable(config);
    }

    public ImageProcessorConfig config() {
        return config;
    }

    /**
     * The dynamic patch budget of an image of this original size: 128, 256, 576, 784 or 1024, the smallest bucket
     * not below {@code (width / p) · (height / p)} (floor division, p = patch size).
     */
    public int dynamicBudget(int width, int height) {
        long patches = (long) (width / config.patchSize()) * (height / config.patchSize());
        if (patches > 784) {
            return 1024;
        }
        if (patches > 576) {
            return 784;
        }
        if (patches > 256) {
            return 576;
        }
        if (patches > 128) {
            return 256;
        }
        return 128;
    }

    /** The budget {@link #preprocess(RgbImage)} uses: the dynamic bucket if enabled, else {@code max_num_patches}. */
    public int defaultBudget(int width, int height) {
        return config.dynamicMaxPatches() ? dynamicBudget(width, height) : config.maxNumPatches();
    }

    /**
     * The patch grid an image of this size is resized to under a budget: the official binary search over the
     * scale in double precision (the largest scale found whose sides, rounded up to multiples of the patch size
     * and at least one patch, give at most {@code maxNumPatches} patches).
     */
    public PatchGrid targetGrid(int width, int height, int maxNumPatches) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (maxNumPatches <= 0) {
            throw new IllegalArgumentException("patch budget must be positive, got " + maxNumPatches);
        }
        double eps = 1e-5;
        double low = eps / 10;
        double high = 100.0;
        while (high - low >= eps) {
            double mid = (low + high) / 2;
            if ((double) scaledPatches(mid, height) * scaledPatches(mid, width) <= maxNumPatches) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return new PatchGrid(scaledPatches(low, height), scaledPatches(low, width));
    }

    /** {@code max(p, ceil(side·scale / p)·p) / p} as in the official code (the division is exact). */
    private int scaledPatches(double scale, int side) {
        int p = config.patchSize();
        double scaled = Math.ceil(side * scale / p) * p;
        return (int) (Math.max(p, scaled) / p);
    }

    /** Preprocesses with the default budget ({@link #defaultBudget}). */
    public PatchedImage preprocess(RgbImage image) {
        return preprocess(image, defaultBudget(image.width(), image.height()));
    }

    /** Preprocesses against an explicit patch budget (ignoring {@code dynamic_max_patches}). */
    public PatchedImage preprocess(RgbImage image, int maxNumPatches) {
        PatchGrid grid = targetGrid(image.width(), image.height(), maxNumPatches);
        int p = config.patchSize();
        RgbImage resized = PillowResize.resize(image, grid.width() * p, grid.height() * p);
        return new PatchedImage(grid, CHANNELS * p * p, patchify(resized, grid), image.width(), image.height());
    }

    /**
     * Normalises and cuts the resized image into patches. Within a patch, one pixel row is {@code p·3}
     * consecutive values in the image row and in the patch vector alike ((py, px, c) order), so each is copied
     * as a run.
     */
    private float[] patchify(RgbImage resized, PatchGrid grid) {
        int p = config.patchSize();
        int patchDim = CHANNELS * p * p;
        int run = p * CHANNELS;
        byte[] rgb = resized.rgb();
        float[] patches = new float[grid.patchCount() * patchDim];
        int src = 0;
        for (int y = 0; y < resized.height(); y++) {
            int rowOfPatches = (y / p) * grid.width();
            int offsetInPatch = (y % p) * run;
            for (int col = 0; col < grid.width(); col++) {
                int dst = (rowOfPatches + col) * patchDim + offsetInPatch;
                for (int i = 0; i < run; i += CHANNELS, src += CHANNELS) {
                    patches[dst + i] = normalized[rgb[src] & 0xFF];
                    patches[dst + i + 1] = normalized[256 + (rgb[src + 1] & 0xFF)];
                    patches[dst + i + 2] = normalized[512 + (rgb[src + 2] & 0xFF)];
                }
            }
        }
        return patches;
    }

    /**
     * transformers rescales in float64 and casts to float32, then normalises in float32 with mean and std cast
     * to float32: {@code (float)(u·factor)}, then {@code (x − (float) mean) / (float) std}. Folding this into
     * one multiply-add changes some results in the last bit.
     */
    private static float[] normalizationTable(ImageProcessorConfig config) {
        float[] table = new float[CHANNELS * 256];
        for (int c = 0; c < CHANNELS; c++) {
            float mean = config.imageMean().get(c).floatValue();
            float std = config.imageStd().get(c).floatValue();
            for (int u = 0; u < 256; u++) {
                float x = config.doRescale() ? (float) (u * config.rescaleFactor()) : u;
                table[c * 256 + u] = config.doNormalize() ? (x - mean) / std : x;
            }
        }
        return table;
    }
}

package org.fgclip2.topology;

/**
 * Groups images by patch count so that a batch pads little: the dynamic budgets of the official processor (128,
 * 256, 576, 784, 1024), 64 below them, and multiples of 1024 above. An image resized for a bucket fills most of it,
 * so images of one bucket pad to within a few percent of each other.
 */
public final class PatchBuckets {
    private static final int[] BUCKETS = {64, 128, 256, 576, 784, 1024};

    private PatchBuckets() {
    }

    public static int of(int patches) {
        for (int b : BUCKETS) {
            if (patches <= b) {
                return b;
            }
        }
        return (patches + 1023) / 1024 * 1024;
    }
}

package org.fgclip2.inference;

import java.util.List;

/**
 * How a region is scored against candidate texts: {@code softmax(100 · cos)} over the candidates, the formula of the
 * official box evaluations. Not the global {@link Scoring} sigmoid, whose scale and bias were fitted to whole images
 * and their captions: a region's scores rank its candidates against each other and sum to 1.
 */
public final class RegionScoring {

    /** The official box evaluations' logit scale. */
    public static final double LOGIT_SCALE = 100;

    private RegionScoring() {
    }

    /**
     * @param region an L2-normalised region feature ({@link DenseMap#regionEmbedding})
     * @param texts L2-normalised text embeddings (box walk), at least one
     * @return one probability per text, in their order
     */
    public static double[] probabilities(float[] region, List<float[]> texts) {
        double[] cosines = new double[texts.size()];
        for (int t = 0; t < cosines.length; t++) {
            cosines[t] = Vectors.dot(region, texts.get(t));
        }
        return probabilities(cosines);
    }

    /** The probabilities of candidates whose cosines with the region are known, in their order. */
    public static double[] probabilities(double[] cosines) {
        double[] p = new double[cosines.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < p.length; t++) {
            p[t] = LOGIT_SCALE * cosines[t];
            max = Math.max(max, p[t]);
        }
        double sum = 0;
        for (int t = 0; t < p.length; t++) {
            p[t] = Math.exp(p[t] - max); // shifted by the largest: exp(100) would overflow a float, not a double
            sum += p[t];
        }
        for (int t = 0; t < p.length; t++) {
            p[t] /= sum;
        }
        return p;
    }
}

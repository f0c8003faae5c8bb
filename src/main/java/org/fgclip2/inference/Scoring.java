package org.fgclip2.inference;

/**
 * SigLIP-style calibrated scores: {@code sigmoid(cos · exp(logit_scale) + logit_bias)}, independently per
 * (image, text) pair — not a softmax over labels, so every label has its own probability.
 */
public record Scoring(double scale, double bias) {

    public static Scoring of(float logitScale, float logitBias) {
        return new Scoring(Math.exp(logitScale), logitBias);
    }

    public double logit(double cosine) {
        return cosine * scale + bias;
    }

    public double probability(double cosine) {
        return 1.0 / (1.0 + Math.exp(-logit(cosine)));
    }
}

package org.fgclip2.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** A stack of {@link EncoderLayer}s ({@code encoder.layers.{i}}). */
public record Encoder(List<EncoderLayer> layers) {

    public static Encoder load(WeightLoader weights, String prefix, int layers, int hidden, int intermediate,
                               int heads, double eps) {
        List<EncoderLayer> list = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            list.add(EncoderLayer.load(weights, prefix + ".layers." + i, hidden, intermediate, heads, eps));
        }
        return new Encoder(List.copyOf(list));
    }

    /** Returns a new array; the input is left as it was. */
    public NDArray forward(NDArray x, NDArray keyBias) {
        NDArray h = x;
        for (EncoderLayer layer : layers) {
            NDArray next = layer.forward(h, keyBias);
            if (h != x) {
                h.close();
            }
            h = next;
        }
        return h == x ? x.duplicate() : h;
    }
}

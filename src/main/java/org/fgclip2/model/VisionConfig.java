package org.fgclip2.model;

/**
 * Vision tower configuration ({@code vision_config} of {@code config.json}), official defaults for omitted keys.
 *
 * @param numPatches rows of the learned position table, a square grid of side {@link #positionGridSide()}
 */
public record VisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numChannels,
        int numPatches,
        int patchSize,
        String hiddenAct,
        double layerNormEps) {

    public VisionConfig {
        ConfigChecks.heads("vision_config", hiddenSize, numAttentionHeads);
        ConfigChecks.positive("vision_config", "intermediate_size", intermediateSize);
        ConfigChecks.positive("vision_config", "num_hidden_layers", numHiddenLayers);
        ConfigChecks.positive("vision_config", "num_channels", numChannels);
        ConfigChecks.positive("vision_config", "patch_size", patchSize);
        ConfigChecks.activation("vision_config", hiddenAct);
        int side = (int) Math.round(Math.sqrt(numPatches));
        if (numPatches <= 0 || side * side != numPatches) {
            throw new ConfigException("vision_config: num_patches " + numPatches
                    + " must be a perfect square (the learned position grid)");
        }
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Side of the square learned position-embedding grid. */
    public int positionGridSide() {
        return (int) Math.round(Math.sqrt(numPatches));
    }

    /** Inputs of one flattened patch: channels × patch × patch. */
    public int patchInputSize() {
        return numChannels * patchSize * patchSize;
    }
}

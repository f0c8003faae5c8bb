package org.fgclip2.model;

final class ConfigChecks {
    /** The only activation FG-CLIP 2 uses; the port implements exactly this one. */
    static final String GELU_TANH = "gelu_pytorch_tanh";

    private ConfigChecks() {
    }

    static void positive(String section, String key, int value) {
        if (value <= 0) {
            throw new ConfigException(section + ": " + key + " must be positive, got " + value);
        }
    }

    static void heads(String section, int hiddenSize, int heads) {
        positive(section, "hidden_size", hiddenSize);
        positive(section, "num_attention_heads", heads);
        if (hiddenSize % heads != 0) {
            throw new ConfigException(section + ": hidden_size " + hiddenSize
                    + " is not divisible by num_attention_heads " + heads);
        }
    }

    static void activation(String section, String act) {
        if (!GELU_TANH.equals(act)) {
            throw new ConfigException(section + ": hidden_act '" + act + "' is not supported (FG-CLIP 2 uses "
                    + GELU_TANH + ")");
        }
    }
}

package org.fgclip2.model;

import java.util.Locale;
import java.util.Map;

/**
 * Architectures by name, for writing random checkpoints and benchmarks: the three published FG-CLIP 2 sizes
 * (values from the published checkpoints' {@code config.json}, {@code qihoo360/fg-clip2-base}, {@code -large} and
 * {@code -so400m}: base = SigLIP 2 B/16, large = L/16, so400m = SoViT-400m/16, each with the 64/20/196
 * text positions and a 16×16 position grid) and {@code tiny}, a small shape that still exercises every path
 * (text and vision sizes differ, so mixing up the two configs fails loudly).
 */
public final class ModelPresets {
    private ModelPresets() {
    }

    public static final Map<String, FgClip2Config> ALL = Map.of(
            "tiny", new FgClip2Config(
                    text(1000, 32, 64, 2, 2),
                    new VisionConfig(32, 80, 3, 4, 3, 16, 16, ConfigChecks.GELU_TANH, 1e-6)),
            "base", symmetric(768, 3072, 12, 12),
            "large", symmetric(1024, 4096, 24, 16),
            "so400m", symmetric(1152, 4304, 27, 16));

    public static FgClip2Config get(String name) {
        FgClip2Config c = ALL.get(name.toLowerCase(Locale.ROOT));
        if (c == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "': use one of tiny, base, large, so400m");
        }
        return c;
    }

    private static FgClip2Config symmetric(int hidden, int intermediate, int layers, int heads) {
        return new FgClip2Config(
                text(256000, hidden, intermediate, layers, heads),
                new VisionConfig(hidden, intermediate, layers, heads, 3, 256, 16, ConfigChecks.GELU_TANH, 1e-6));
    }

    private static TextConfig text(int vocab, int hidden, int intermediate, int layers, int heads) {
        return new TextConfig(vocab, hidden, intermediate, layers, heads, 64, ConfigChecks.GELU_TANH, 1e-6, hidden, 20, 196);
    }
}

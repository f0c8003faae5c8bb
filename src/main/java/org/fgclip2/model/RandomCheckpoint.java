package org.fgclip2.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fgclip2.model.checkpoint.Checkpoint;
import org.fgclip2.model.checkpoint.SafetensorsWriter;
import org.fgclip2.model.checkpoint.TensorDType;

/**
 * Writes a random-weight checkpoint of any configuration in the layout of a published one ({@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json}, {@code tokenizer_config.json},
 * {@code preprocessor_config.json}), for tests, benchmarks and demos without the real weights. Its scores mean
 * nothing; it computes the same function as a real checkpoint of that shape.
 *
 * <p>The weights are chosen so that mistakes show: LayerNorm weights 1 ± 0.2 and non-zero biases, q/k weights
 * scaled up so attention is peaked (masks and head splits then matter), every position table and every head
 * different. The tokenizer is word-level without a lower-casing normaliser, so callers must lower-case.
 */
public final class RandomCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomCheckpoint() {
    }

    /** Options of the writer. */
    public record Options(long seed, TensorDType dtype, boolean diffStyleConfig) {
        public static final Options DEFAULT = new Options(42, TensorDType.F32, false);
    }

    public static void write(Path folder, FgClip2Config config, Options options) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), ConfigJson.write(config, options.diffStyleConfig()));
        Map<String, long[]> shapes = StateDictShapes.of(config);
        SafetensorsWriter.write(folder.resolve(Checkpoint.SINGLE_FILE), shapes, options.dtype(),
                Map.of("format", "pt", "generator", "fgclip2-streams make-tiny-model (random weights)"),
                (name, shape) -> values(name, shape, options.seed()));
        writeTokenizer(folder, config.text().vocabSize());
        Files.writeString(folder.resolve("preprocessor_config.json"), """
                {
                  "image_processor_type": "Fgclip2ImageProcessor",
                  "do_resize": true,
                  "resample": 2,
                  "do_rescale": true,
                  "rescale_factor": 0.00392156862745098,
                  "do_normalize": true,
                  "image_mean": [0.5, 0.5, 0.5],
                  "image_std": [0.5, 0.5, 0.5],
                  "patch_size": %d,
                  "max_num_patches": 256,
                  "dynamic_max_patches": true
                }
                """.formatted(config.vision().patchSize()));
    }

    static float[] values(String name, long[] shape, long seed) {
        int count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, (int) d);
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + name.hashCode());
        float[] v = new float[count];
        if (name.equals("logit_scale")) {
            v[0] = 2.3f;
            return v;
        }
        if (name.equals("logit_bias")) {
            v[0] = -2f;
            return v;
        }
        boolean isNorm = name.contains("norm") && !name.contains("proj");
        if (isNorm && name.endsWith(".weight")) {
            fill(v, random, 1f, 0.2f);
        } else if (name.endsWith("bias")) {
            fill(v, random, 0f, 0.1f);
        } else if (shape.length == 2 && !name.contains("embedding")) {
            float spread = (float) (Math.sqrt(3.0 / shape[1]));
            boolean queryOrKey = name.contains("q_proj") || name.contains("k_proj") || name.contains("in_proj_weight");
            fill(v, random, 0f, queryOrKey ? 2.5f * spread : spread);
        } else {
            fill(v, random, 0f, 1f);
        }
        return v;
    }

    /** Uniform in [center − halfWidth, center + halfWidth]. */
    private static void fill(float[] v, SplittableRandom random, float center, float halfWidth) {
        for (int i = 0; i < v.length; i++) {
            v[i] = center + (float) ((random.nextDouble() * 2 - 1) * halfWidth);
        }
    }

    private static void writeTokenizer(Path folder, int vocabSize) throws IOException {
        Set<String> pieces = new LinkedHashSet<>();
        for (String special : new String[] {"<pad>", "<eos>", "<bos>", "<unk>"}) {
            pieces.add(special);
        }
        try (InputStream in = RandomCheckpoint.class.getResourceAsStream("/org/fgclip2/model/random-vocab.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#")) {
                    for (String piece : line.trim().split("\\s+")) {
                        if (!piece.isEmpty()) {
                            pieces.add(piece);
                        }
                    }
                }
            }
        }
        for (int code = 0x4E00; pieces.size() < vocabSize && code <= 0x9FFF; code++) {
            pieces.add(new String(Character.toChars(code)));
        }
        for (int i = 0; pieces.size() < vocabSize; i++) {
            pieces.add("<extra_" + i + ">");
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<pad>", "<eos>", "<bos>", "<unk>"};
        for (int i = 0; i < specials.length; i++) {
            added.addObject().put("id", i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", "[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]");
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "Whitespace");
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        post.putArray("single").add(sequence("A", 0)).add(special("<eos>", 0));
        post.putArray("pair").add(sequence("A", 0)).add(special("<eos>", 0)).add(sequence("B", 1)).add(special("<eos>", 1));
        ObjectNode eos = post.putObject("special_tokens").putObject("<eos>").put("id", "<eos>");
        eos.putArray("ids").add(1);
        eos.putArray("tokens").add("<eos>");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model").put("type", "WordLevel").put("unk_token", "<unk>");
        ObjectNode vocab = model.putObject("vocab");
        int id = 0;
        for (String piece : pieces) {
            if (id == vocabSize) {
                break;
            }
            vocab.put(piece, id++);
        }
        Files.writeString(folder.resolve("tokenizer.json"), JSON.writeValueAsString(root));
        Files.writeString(folder.resolve("tokenizer_config.json"), """
                {
                  "tokenizer_class": "PreTrainedTokenizerFast",
                  "model_input_names": ["input_ids"],
                  "add_bos_token": false,
                  "add_eos_token": true,
                  "padding_side": "right",
                  "pad_token": "<pad>",
                  "eos_token": "<eos>",
                  "bos_token": "<bos>",
                  "unk_token": "<unk>",
                  "model_max_length": 1000000000000000019884624838656
                }
                """);
    }

    private static ObjectNode sequence(String id, int typeId) {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("Sequence").put("id", id).put("type_id", typeId);
        return n;
    }

    private static ObjectNode special(String id, int typeId) {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("SpecialToken").put("id", id).put("type_id", typeId);
        return n;
    }
}

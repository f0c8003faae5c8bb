package org.fgclip2.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns captions into the token ids the official pipeline feeds FG-CLIP 2: {@code caption.lower()}, the
 * {@code tokenizer.json} pieces, then the special tokens and fixed-length padding/truncation of the transformers
 * tokenizer ({@code padding="max_length", truncation=True}).
 *
 * <p>The special tokens come from {@code tokenizer_config.json}'s {@code add_bos_token} / {@code add_eos_token} when
 * it has them, as transformers' Gemma tokenizer rebuilds its post-processor from those flags at load time; DJL
 * reads only {@code tokenizer.json}, whose template may say otherwise (the stock Gemma file adds {@code <bos>} and no
 * {@code <eos>}; FG-CLIP 2 wants no BOS and a trailing EOS). Without the flags the file's own template is used.
 * Truncation keeps the first {@code length − specials} pieces, so a long caption still ends with its EOS.
 *
 * <p>Thread-safe: the native tokenizer is immutable once built.
 */
public final class CaptionTokenizer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final long[] prefix;
    private final long[] suffix;
    private final long padId;
    private final boolean returnsAttentionMask;

    private CaptionTokenizer(HuggingFaceTokenizer tokenizer, long[] prefix, long[] suffix, long padId,
                             boolean returnsAttentionMask) {
        this.tokenizer = tokenizer;
        this.prefix = prefix;
        this.suffix = suffix;
        this.padId = padId;
        this.returnsAttentionMask = returnsAttentionMask;
    }

    /** Loads {@code tokenizer.json} and (if present) {@code tokenizer_config.json} from a checkpoint folder. */
    public static CaptionTokenizer load(Path folder) throws IOException {
        Path tokenizerJson = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException("no tokenizer.json in " + folder + ": FG-CLIP 2 needs the Hugging Face tokenizer file");
        }
        JsonNode tokenizerSpec = JSON.readTree(tokenizerJson.toFile());
        Path configPath = folder.resolve("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configPath) ? JSON.readTree(configPath.toFile()) : JSON.createObjectNode();
        SpecialTokens specials = new SpecialTokens(tokenizerSpec, config);
        // Point DJL at the file, never the folder: a hub tokenizer_config.json's model_max_length of 1e30 makes
        // DJL throw. Padding, truncation and special tokens are applied here, not by DJL.
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"));
        return new CaptionTokenizer(tokenizer, specials.prefix(), specials.suffix(), specials.padId(),
                returnsAttentionMask(config));
    }

    /**
     * Whether the official tokenizer returns an attention mask (and so whether the official pipeline passes one to
     * the text tower): only if {@code model_input_names} lists it. Published FG-CLIP 2 tokenizers list only
     * {@code input_ids}; the official README also calls the model with ids alone, hence the default.
     */
    public boolean returnsAttentionMask() {
        return returnsAttentionMask;
    }

    private static boolean returnsAttentionMask(JsonNode config) {
        JsonNode names = config.get("model_input_names");
        if (names == null || !names.isArray()) {
            return false;
        }
        for (JsonNode n : names) {
            if (n.asText().equals("attention_mask")) {
                return true;
            }
        }
        return false;
    }

    /** Encodes captions (lower-cased first) to exactly {@code length} ids each. */
    public TokenizedCaptions encode(List<String> captions, int length) {
        int room = length - prefix.length - suffix.length;
        if (room < 0) {
            throw new IllegalArgumentException("token length " + length + " leaves no room for the special tokens");
        }
        List<String> lowered = new ArrayList<>(captions.size());
        for (String c : captions) {
            lowered.add(c.toLowerCase(Locale.ROOT));
        }
        Encoding[] encodings = lowered.isEmpty() ? new Encoding[0] : tokenizer.batchEncode(lowered, false, false);
        long[] ids = new long[captions.size() * length];
        int[] valid = new int[captions.size()];
        for (int c = 0; c < encodings.length; c++) {
            long[] pieces = encodings[c].getIds();
            int kept = Math.min(pieces.length, room);
            int at = c * length;
            System.arraycopy(prefix, 0, ids, at, prefix.length);
            System.arraycopy(pieces, 0, ids, at + prefix.length, kept);
            System.arraycopy(suffix, 0, ids, at + prefix.length + kept, suffix.length);
            valid[c] = prefix.length + kept + suffix.length;
            Arrays.fill(ids, at + valid[c], at + length, padId);
        }
        return new TokenizedCaptions(ids, valid, length);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

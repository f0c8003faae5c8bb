package org.fgclip2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The special ids around a caption and the pad id, resolved from {@code tokenizer_config.json} flags or, failing
 * those, from the {@code TemplateProcessing} post-processor of {@code tokenizer.json}.
 */
final class SpecialTokens {
    private final JsonNode tokenizerSpec;
    private final long[] prefix;
    private final long[] suffix;
    private final long padId;

    SpecialTokens(JsonNode tokenizerSpec, JsonNode config) {
        this.tokenizerSpec = tokenizerSpec;
        if (config.has("add_bos_token") || config.has("add_eos_token")) {
            prefix = config.path("add_bos_token").asBoolean(false)
                    ? new long[] {idOf(tokenName(config, "bos_token", "<bos>"))} : new long[0];
            suffix = config.path("add_eos_token").asBoolean(false)
                    ? new long[] {idOf(tokenName(config, "eos_token", "<eos>"))} : new long[0];
        } else {
            long[][] template = fromTemplate();
            prefix = template[0];
            suffix = template[1];
        }
        padId = idOf(tokenName(config, "pad_token", "<pad>"));
    }

    long[] prefix() {
        return prefix;
    }

    long[] suffix() {
        return suffix;
    }

    long padId() {
        return padId;
    }

    private static String tokenName(JsonNode config, String key, String fallback) {
        JsonNode t = config.get(key);
        if (t == null || t.isNull()) {
            return fallback;
        }
        return t.isObject() ? t.path("content").asText(fallback) : t.asText(fallback);
    }

    private long[][] fromTemplate() {
        JsonNode post = tokenizerSpec.path("post_processor");
        if (!"TemplateProcessing".equals(post.path("type").asText())) {
            return new long[][] {new long[0], new long[0]};
        }
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        boolean seenSequence = false;
        for (JsonNode item : post.path("single")) {
            if (item.has("Sequence")) {
                seenSequence = true;
            } else if (item.has("SpecialToken")) {
                String name = item.get("SpecialToken").path("id").asText();
                for (JsonNode id : post.path("special_tokens").path(name).path("ids")) {
                    (seenSequence ? after : before).add(id.asLong());
                }
            }
        }
        return new long[][] {before.stream().mapToLong(Long::longValue).toArray(),
                after.stream().mapToLong(Long::longValue).toArray()};
    }

    private long idOf(String token) {
        for (JsonNode added : tokenizerSpec.path("added_tokens")) {
            if (token.equals(added.path("content").asText())) {
                return added.path("id").asLong();
            }
        }
        JsonNode vocab = tokenizerSpec.path("model").path("vocab");
        if (vocab.isObject() && vocab.has(token)) {
            return vocab.get(token).asLong();
        }
        if (vocab.isArray()) { // Unigram: [[piece, score], ...]
            for (int i = 0; i < vocab.size(); i++) {
                if (token.equals(vocab.get(i).path(0).asText())) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("tokenizer.json has no token '" + token + "' (named by tokenizer_config.json)");
    }
}

package org.fgclip2.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** The files of an FG-CLIP 2 checkpoint, as a Hugging Face model repository lays them out. */
final class RepoFiles {

    static final String CONFIG = "config.json";
    static final List<String> REQUIRED_FILES =
            List.of(CONFIG, "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json");
    static final List<String> OPTIONAL_FILES = List.of("special_tokens_map.json");
    static final String SINGLE_WEIGHTS = "model.safetensors";
    static final String WEIGHTS_INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RepoFiles() {
    }

    /** What the folder lacks to be a complete checkpoint; empty when it is complete. Follows symbolic links. */
    static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String name : REQUIRED_FILES) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                missing.add(name);
            }
        }
        if (Files.isRegularFile(dir.resolve(SINGLE_WEIGHTS))) {
            return missing;
        }
        Path index = dir.resolve(WEIGHTS_INDEX);
        if (!Files.isRegularFile(index)) {
            missing.add(SINGLE_WEIGHTS + " (or " + WEIGHTS_INDEX + " and its shards)");
            return missing;
        }
        for (String shard : shardsOf(index)) {
            if (!Files.isRegularFile(dir.resolve(shard))) {
                missing.add(shard);
            }
        }
        return missing;
    }

    /** The shard files a {@code model.safetensors.index.json} names in its {@code weight_map}, sorted. */
    static SortedSet<String> shardsOf(Path indexFile) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(indexFile.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new ModelResolutionException("cannot read the weights index " + indexFile + ": " + e.getMessage(), e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new ModelResolutionException(
                    "the weights index " + indexFile + " has no \"weight_map\" naming the shard files");
        }
        SortedSet<String> shards = new TreeSet<>();
        weightMap.forEach(shard -> shards.add(requireRelativeFileName(shard.asText(), indexFile)));
        return shards;
    }

    // The index comes from the network: a name must not lead outside the checkpoint folder.
    private static String requireRelativeFileName(String name, Path indexFile) {
        boolean escapes = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")
                || List.of(name.split("/")).contains("..");
        if (escapes) {
            throw new ModelResolutionException(
                    "the weights index " + indexFile + " names an invalid shard file \"" + name + "\"");
        }
        return name;
    }
}

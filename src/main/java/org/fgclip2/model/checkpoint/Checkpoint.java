package org.fgclip2.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tensors of a Hugging Face checkpoint folder: one {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}. Keys are exposed as {@code FG_CLIP2_Model.state_dict()} names; a wrapper
 * prefix ({@code model.} or {@code fgclip2.}) shared by every key is removed.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final List<String> WRAPPER_PREFIXES = List.of("model.", "fgclip2.");

    private final Path folder;
    private final List<SafetensorsFile> files;
    private final Map<String, Located> tensors;

    private record Located(SafetensorsFile file, String storedName) {
    }

    private Checkpoint(Path folder, List<SafetensorsFile> files, Map<String, Located> tensors) {
        this.folder = folder;
        this.files = files;
        this.tensors = tensors;
    }

    public static Checkpoint open(Path folder) throws IOException {
        Path single = folder.resolve(SINGLE_FILE);
        Path index = folder.resolve(INDEX_FILE);
        List<Path> paths;
        if (Files.isRegularFile(single)) {
            paths = List.of(single);
        } else if (Files.isRegularFile(index)) {
            paths = shardsOf(index);
        } else {
            throw new CheckpointException("no " + SINGLE_FILE + " or " + INDEX_FILE + " in " + folder);
        }
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            Map<String, Located> raw = new TreeMap<>();
            for (Path p : paths) {
                SafetensorsFile f = SafetensorsFile.open(p);
                files.add(f);
                for (String name : f.tensors().keySet()) {
                    if (raw.put(name, new Located(f, name)) != null) {
                        throw new CheckpointException("tensor '" + name + "' appears in more than one shard of " + folder);
                    }
                }
            }
            return new Checkpoint(folder, Collections.unmodifiableList(files), stripWrapperPrefix(raw));
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile f : files) {
                f.close();
            }
            throw e;
        }
    }

    private static List<Path> shardsOf(Path index) throws IOException {
        JsonNode weightMap;
        try {
            weightMap = new ObjectMapper().readTree(index.toFile()).get("weight_map");
        } catch (IOException e) {
            throw new CheckpointException(index + " is not valid JSON: " + e.getMessage(), e);
        }
        if (weightMap == null || !weightMap.isObject()) {
            throw new CheckpointException(index + " has no weight_map");
        }
        Set<String> shardNames = new TreeSet<>();
        weightMap.fields().forEachRemaining(e -> shardNames.add(e.getValue().asText()));
        List<Path> shards = new ArrayList<>();
        for (String name : shardNames) {
            Path shard = index.resolveSibling(name).normalize();
            if (!shard.startsWith(index.getParent().normalize())) {
                throw new CheckpointException(index + " names a shard outside its folder: " + name);
            }
            if (!Files.isRegularFile(shard)) {
                throw new CheckpointException(index + " names shard " + name + ", which is missing");
            }
            shards.add(shard);
        }
        return shards;
    }

    private static Map<String, Located> stripWrapperPrefix(Map<String, Located> raw) {
        for (String prefix : WRAPPER_PREFIXES) {
            if (!raw.isEmpty() && raw.keySet().stream().allMatch(k -> k.startsWith(prefix))) {
                Map<String, Located> stripped = new TreeMap<>();
                raw.forEach((k, v) -> stripped.put(k.substring(prefix.length()), v));
                return Collections.unmodifiableMap(stripped);
            }
        }
        return Collections.unmodifiableMap(raw);
    }

    public Path folder() {
        return folder;
    }

    public Set<String> keys() {
        return tensors.keySet();
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    public TensorInfo info(String key) {
        return locate(key).file().info(locate(key).storedName());
    }

    /** Raw little-endian bytes, memory-mapped read-only. */
    public ByteBuffer bytes(String key) {
        Located l = locate(key);
        return l.file().bytes(l.storedName());
    }

    public float[] floats(String key) {
        Located l = locate(key);
        return l.file().floats(l.storedName());
    }

    /**
     * A short content fingerprint: SHA-256 over every tensor's name, dtype, shape and a sample of its bytes (the
     * first and last 4 KiB). Two checkpoints with different weights practically never share it, and computing it
     * touches a few MiB even for a multi-GB file.
     */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String key : tensors.keySet()) {
            TensorInfo info = info(key);
            sha.update((key + info.dtype() + info.shapeString()).getBytes(StandardCharsets.UTF_8));
            ByteBuffer bytes = bytes(key);
            int sample = Math.min(4096, bytes.remaining());
            sha.update(bytes.duplicate().limit(sample));
            sha.update(bytes.duplicate().position(bytes.remaining() - sample));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    private Located locate(String key) {
        Located l = tensors.get(key);
        if (l == null) {
            throw new CheckpointException(folder + " has no tensor '" + key + "'");
        }
        return l;
    }

    @Override
    public void close() throws IOException {
        for (SafetensorsFile f : files) {
            f.close();
        }
    }
}

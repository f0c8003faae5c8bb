package org.fgclip2.hub;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the {@code --model} argument into a folder holding a complete FG-CLIP 2 checkpoint: {@code config.json},
 * {@code tokenizer.json}, {@code tokenizer_config.json}, {@code preprocessor_config.json}, optionally
 * {@code special_tokens_map.json}, and {@code model.safetensors} or {@code model.safetensors.index.json} with its
 * shards.
 *
 * <p>An existing folder is used in place. Otherwise {@code owner/name} or {@code owner/name@revision} (a branch, tag
 * or commit; default {@code main}) names a Hugging Face hub repository: a revision resolved before whose files are
 * all in the cache is used without any network access; otherwise the missing files are downloaded into the cache
 * (resumably, verified) and the snapshot folder inside the cache is returned. Safe to call from several threads and
 * JVMs sharing one cache: each file is downloaded once.
 */
public final class ModelLocator {

    private static final String EXAMPLE_ID = "qihoo360/fg-clip2-base";

    private final HubOptions options;
    private final DownloadProgress progress;

    public ModelLocator(HubOptions options, DownloadProgress progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Settings from the {@code HF_*} environment variables, progress on standard error. */
    public static ModelLocator fromEnvironment() {
        return new ModelLocator(HubOptions.fromEnvironment(), DownloadProgress.toStderr());
    }

    /**
     * The checkpoint folder for a {@code --model} argument.
     *
     * @throws ModelResolutionException when the argument names neither a complete checkpoint folder nor a hub
     *                                  repository that can be had; the message says what to do
     */
    public Path resolve(String modelArg) {
        Objects.requireNonNull(modelArg, "modelArg");
        Optional<Path> path = asPath(modelArg);
        if (path.isPresent() && Files.isDirectory(path.get())) {
            return requireCheckpoint(path.get().toAbsolutePath().normalize());
        }
        if (path.isPresent() && Files.exists(path.get())) {
            throw new ModelResolutionException(modelArg + " is a file; --model takes a checkpoint folder or a "
                    + "Hugging Face hub id such as " + EXAMPLE_ID);
        }
        Optional<RepoId> repo = RepoId.parse(modelArg);
        if (repo.isEmpty()) {
            throw new ModelResolutionException("no folder " + modelArg + " exists, and it is not a Hugging Face hub "
                    + "id (owner/name or owner/name@revision, e.g. " + EXAMPLE_ID + ")");
        }
        return new SnapshotFetcher(options, progress, repo.get()).fetch();
    }

    private static Optional<Path> asPath(String text) {
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Path requireCheckpoint(Path dir) {
        List<String> missing = RepoFiles.missingFiles(dir);
        if (!missing.isEmpty()) {
            throw new ModelResolutionException(dir + " is not a complete FG-CLIP 2 checkpoint: it lacks "
                    + String.join(", ", missing) + ". Pass a folder holding the model's config, tokenizer, "
                    + "preprocessor and safetensors files, or a hub id such as " + EXAMPLE_ID + ".");
        }
        return dir;
    }
}

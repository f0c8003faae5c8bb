package org.fgclip2.hub;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Makes a complete checkpoint snapshot of one hub repository available in the cache: from the cache alone when the
 * revision was resolved before and every file is there, else by downloading what is missing.
 */
final class SnapshotFetcher {

    private final HubOptions options;
    private final DownloadProgress progress;
    private final RepoId repo;
    private final RepoCache cache;

    SnapshotFetcher(HubOptions options, DownloadProgress progress, RepoId repo) {
        this.options = options;
        this.progress = progress;
        this.repo = repo;
        this.cache = new RepoCache(options.cacheRoot(), repo);
    }

    /** The snapshot folder, {@code {cache}/models--{owner}--{name}/snapshots/{commit}}. */
    Path fetch() {
        try {
            Optional<Path> cached = cache.commitFor(repo).map(cache::snapshot);
            List<String> missing = cached.map(RepoFiles::missingFiles).orElse(List.of());
            if (cached.isPresent() && missing.isEmpty()) {
                return cached.get(); // a resolved revision is trusted as it is: no network needed
            }
            if (options.offline()) {
                throw new ModelResolutionException("HF_HUB_OFFLINE is set and " + repo + " is not "
                        + inCache(cached, missing) + ". Unset HF_HUB_OFFLINE to download it, or " + remedies());
            }
            try {
                return download();
            } catch (EndpointUnreachableException e) {
                throw new ModelResolutionException("cannot reach " + options.endpoint() + " to download " + repo
                        + " (" + e.getMessage() + "), and it is not " + inCache(cached, missing) + ". "
                        + capitalized(remedies()), e);
            }
        } catch (UncheckedIOException e) {
            throw new ModelResolutionException("cannot use the Hugging Face cache " + options.cacheRoot() + ": "
                    + e.getCause() + ". Make it writable, free disk space, or set HF_HUB_CACHE to another folder.", e);
        }
    }

    private Path download() throws EndpointUnreachableException {
        HubClient client = new HubClient(options, progress);
        Downloader files = new Downloader(client);
        // The first answer pins the commit; every further file comes from that commit even if the branch moves.
        FileMetadata config = client.metadata(new RemoteFile(repo, repo.revision(), RepoFiles.CONFIG))
                .orElseThrow(() -> missingRequired(RepoFiles.CONFIG, repo.revision()));
        String commit = config.commit();
        cache.recordCommit(repo, commit);
        Path snapshot = cache.snapshot(commit);
        files.store(commit, RepoFiles.CONFIG, config);
        for (String name : RepoFiles.REQUIRED_FILES) { // config.json is there by now and asks nothing
            if (!files.fetch(commit, name)) {
                throw missingRequired(name, commit);
            }
        }
        for (String name : RepoFiles.OPTIONAL_FILES) {
            files.fetch(commit, name);
        }
        if (files.fetch(commit, RepoFiles.SINGLE_WEIGHTS)) {
            return snapshot;
        }
        if (!files.fetch(commit, RepoFiles.WEIGHTS_INDEX)) {
            throw new ModelResolutionException(repo + " has neither " + RepoFiles.SINGLE_WEIGHTS + " nor "
                    + RepoFiles.WEIGHTS_INDEX + " at commit " + commit
                    + "; it does not hold an FG-CLIP 2 checkpoint in safetensors format.");
        }
        for (String shard : RepoFiles.shardsOf(snapshot.resolve(RepoFiles.WEIGHTS_INDEX))) {
            if (!files.fetch(commit, shard)) {
                throw missingRequired(shard, commit);
            }
        }
        return snapshot;
    }

    /** Puts files of one commit into the snapshot, downloading each blob at most once. */
    private final class Downloader {
        private final HubClient client;
        private final BlobDownload blobs;

        Downloader(HubClient client) {
            this.client = client;
            this.blobs = new BlobDownload(client, options, progress);
        }

        /** False when the hub has no such file. */
        boolean fetch(String commit, String name) throws EndpointUnreachableException {
            if (Files.isRegularFile(cache.snapshot(commit).resolve(name))) {
                return true;
            }
            Optional<FileMetadata> meta = client.metadata(new RemoteFile(repo, commit, name));
            meta.ifPresent(m -> store(commit, name, m));
            return meta.isPresent();
        }

        void store(String commit, String name, FileMetadata meta) {
            Path target = cache.snapshot(commit).resolve(name);
            if (Files.isRegularFile(target)) {
                return;
            }
            Path blob = cache.blob(meta.etag());
            try (BlobLock lock = BlobLock.acquire(cache.lockFile(meta.etag()))) {
                if (!Files.isRegularFile(blob)) { // another resolver may have finished it while we waited
                    Path incomplete = cache.incompleteBlob(meta.etag());
                    blobs.run(new RemoteFile(repo, commit, name), meta, incomplete);
                    cache.publishBlob(incomplete, blob);
                }
                cache.link(target, blob);
            }
        }
    }

    private ModelResolutionException missingRequired(String name, String revision) {
        return new ModelResolutionException(name + " not found in " + repo.id() + " at revision " + revision
                + "; an FG-CLIP 2 checkpoint needs it.");
    }

    private String inCache(Optional<Path> cached, List<String> missing) {
        return cached.isEmpty()
                ? "in the Hugging Face cache " + options.cacheRoot()
                : "complete in the Hugging Face cache (" + cached.get() + " lacks " + String.join(", ", missing) + ")";
    }

    private String remedies() {
        String revision = RepoId.DEFAULT_REVISION.equals(repo.revision()) ? "" : " --revision " + repo.revision();
        return "download it on a machine with internet (`huggingface-cli download " + repo.id() + revision
                + "`) and copy that machine's ~/.cache/huggingface/hub into " + options.cacheRoot()
                + ", or pass --model /path/to/checkpoint-folder.";
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

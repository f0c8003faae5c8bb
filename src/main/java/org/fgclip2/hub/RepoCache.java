package org.fgclip2.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * One repository's folder in the hub cache, in the layout of Python's {@code huggingface_hub}:
 * <pre>
 * models--{owner}--{name}/
 *   refs/{revision}               the commit hash the branch or tag pointed to when last resolved
 *   blobs/{etag}                  file contents, named by SHA-256 (LFS files) or git blob hash
 *   snapshots/{commit}/{file}     relative symbolic link to ../../blobs/{etag}
 * </pre>
 * Failures to read or write the cache are thrown as {@link UncheckedIOException}.
 */
final class RepoCache {

    private final Path cacheRoot;
    private final Path folder;

    RepoCache(Path cacheRoot, RepoId repo) {
        this.cacheRoot = cacheRoot;
        this.folder = cacheRoot.resolve(folderName(repo));
    }

    private static String folderName(RepoId repo) {
        return "models--" + repo.owner() + "--" + repo.name();
    }

    /** The commit a revision resolved to last time, without asking the hub; a commit hash is its own answer. */
    Optional<String> commitFor(RepoId repo) {
        if (repo.revisionIsCommit()) {
            return Optional.of(repo.revision());
        }
        Path ref = folder.resolve("refs").resolve(repo.revision());
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        try {
            String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
            return RepoId.isCommitHash(commit) ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Remembers which commit a branch or tag points to, as {@code huggingface_hub} does. */
    void recordCommit(RepoId repo, String commit) {
        if (repo.revisionIsCommit()) {
            return;
        }
        Path ref = folder.resolve("refs").resolve(repo.revision());
        try {
            if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).equals(commit)) {
                return; // leaves a read-only cache usable
            }
            Files.createDirectories(ref.getParent());
            Files.writeString(ref, commit, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path snapshot(String commit) {
        return folder.resolve("snapshots").resolve(commit);
    }

    Path blob(String etag) {
        return folder.resolve("blobs").resolve(etag);
    }

    /** Where a blob is downloaded to before it is verified; {@code huggingface_hub} resumes the same file. */
    Path incompleteBlob(String etag) {
        return folder.resolve("blobs").resolve(etag + ".incomplete");
    }

    /** The lock file guarding one blob's download, where recent {@code huggingface_hub} versions put theirs. */
    Path lockFile(String etag) {
        return cacheRoot.resolve(".locks").resolve(folder.getFileName()).resolve(etag + ".lock");
    }

    /** Moves a verified download to its final name in one step, so a blob is either whole or absent. */
    void publishBlob(Path incomplete, Path blob) {
        try {
            Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes {@code snapshots/{commit}/{file}} point at the blob: a relative symbolic link (the cache stays valid when
     * moved), or a copy where the file system or the platform (Windows without developer mode) refuses links.
     * Callers hold the blob's lock.
     */
    void link(Path snapshotFile, Path blob) {
        try {
            Files.createDirectories(snapshotFile.getParent());
            Files.deleteIfExists(snapshotFile); // a dangling link left by an interrupted run
            if (!trySymbolicLink(snapshotFile, blob)) {
                Files.copy(blob, snapshotFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean trySymbolicLink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, link.getParent().relativize(target));
            return true;
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }
}

package org.fgclip2.hub;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A model repository on the hub and the revision (branch, tag or commit hash) asked for. */
record RepoId(String owner, String name, String revision) {

    static final String DEFAULT_REVISION = "main";

    // The hub's rule for names: letters, digits, '-', '_', '.', no "--" or "..". A revision is a git ref or commit;
    // git forbids ".." and a leading '/' in refs, which also keeps refs/{revision} inside the cache.
    private static final Pattern ID =
            Pattern.compile("([A-Za-z0-9][\\w.-]*)/([A-Za-z0-9][\\w.-]*)(?:@([\\w.-][\\w./-]*))?");
    private static final Pattern COMMIT_HASH = Pattern.compile("[0-9a-f]{40}");

    /** {@code owner/name} or {@code owner/name@revision}; empty when the text is not shaped like a hub id. */
    static Optional<RepoId> parse(String text) {
        Matcher m = ID.matcher(text);
        if (!m.matches() || text.contains("..") || m.group(1).contains("--") || m.group(2).contains("--")) {
            return Optional.empty();
        }
        String revision = m.group(3) == null ? DEFAULT_REVISION : m.group(3);
        return Optional.of(new RepoId(m.group(1), m.group(2), revision));
    }

    String id() {
        return owner + "/" + name;
    }

    /** Whether the revision already is a full commit hash, which never moves and needs no {@code refs/} entry. */
    boolean revisionIsCommit() {
        return COMMIT_HASH.matcher(revision).matches();
    }

    static boolean isCommitHash(String text) {
        return COMMIT_HASH.matcher(text).matches();
    }

    @Override
    public String toString() {
        return DEFAULT_REVISION.equals(revision) ? id() : id() + "@" + revision;
    }
}

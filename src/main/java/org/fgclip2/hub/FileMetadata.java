package org.fgclip2.hub;

import java.util.regex.Pattern;

/**
 * What a HEAD request on the hub tells about a file.
 *
 * @param commit the commit the revision points to ({@code X-Repo-Commit})
 * @param etag   the blob's name in the cache: the SHA-256 of an LFS file, the git blob hash of others
 * @param size   bytes, or -1 when the hub did not say
 */
record FileMetadata(String commit, String etag, long size) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** LFS files are named by the SHA-256 of their content, which lets a download be verified. */
    boolean etagIsSha256() {
        return SHA256.matcher(etag).matches();
    }
}

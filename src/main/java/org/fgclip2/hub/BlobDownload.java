package org.fgclip2.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file into its {@code blobs/{etag}.incomplete} file: resumes what is there with a Range request,
 * retries transient failures, and verifies the result (SHA-256 for LFS files, size for the others).
 */
final class BlobDownload {

    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes (\\d+)-");

    private final HubClient client;
    private final HubOptions options;
    private final DownloadProgress progress;

    BlobDownload(HubClient client, HubOptions options, DownloadProgress progress) {
        this.client = client;
        this.options = options;
        this.progress = progress;
    }

    /** Leaves the complete, verified file at {@code incomplete}, or throws and leaves only what can be resumed. */
    void run(RemoteFile file, FileMetadata meta, Path incomplete) {
        try (PartialBlob partial = PartialBlob.open(incomplete)) {
            progress.started(file.name(), meta.size(), partial.length());
            for (int attempt = 1; ; attempt++) {
                try {
                    transfer(file, meta, partial);
                    break;
                } catch (IOException e) {
                    String reason = HubClient.describe(e);
                    if (attempt == options.maxAttempts()) {
                        throw new ModelResolutionException("downloading " + file + " failed " + attempt
                                + " times, last: " + reason + ". The " + ConsoleProgress.bytes(partial.length())
                                + " received are kept in " + incomplete + "; run again to resume.", e);
                    }
                    progress.retrying(file.name(), attempt + 1, options.maxAttempts(), reason);
                    Retries.pause(options, attempt);
                }
            }
            verify(file, meta, partial);
        }
        progress.finished(file.name());
    }

    private void transfer(RemoteFile file, FileMetadata meta, PartialBlob partial) throws IOException {
        if (meta.size() >= 0 && partial.length() >= meta.size()) {
            if (partial.length() == meta.size()) {
                return; // an earlier run got every byte but stopped before publishing the blob
            }
            partial.reset();
        }
        long offset = partial.length();
        HttpResponse<InputStream> response = client.get(file, offset);
        int status = response.statusCode();
        if (status == 200 && offset > 0) {
            // the server ignored the Range header and sends the whole file
            partial.reset();
            progress.advanced(file.name(), 0);
        } else if (status == 206 && contentRangeStart(response) != offset || status == 416) {
            response.body().close();
            partial.reset();
            throw new IOException("the server could not resume at byte " + offset + ", starting over");
        } else if (status != 200 && status != 206) {
            throw client.retryableFailure(file, response);
        }
        copy(response.body(), partial, file.name());
        if (meta.size() >= 0 && partial.length() < meta.size()) {
            throw new IOException("connection closed after " + partial.length() + " of " + meta.size() + " bytes");
        }
    }

    private void copy(InputStream body, PartialBlob partial, String name) throws IOException {
        try (InputStream in = body; IdleWatchdog watchdog = new IdleWatchdog(options.readTimeout(), in)) {
            byte[] buffer = new byte[1 << 16];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    watchdog.touch();
                    partial.append(buffer, n);
                    progress.advanced(name, partial.length());
                }
            } catch (IOException e) {
                throw watchdog.fired() ? idle() : e;
            }
            if (watchdog.fired()) { // a body closed under the reader may also look like its end
                throw idle();
            }
        }
    }

    private IOException idle() {
        return new IOException(String.format(Locale.ROOT, "no data received for %.1f s",
                options.readTimeout().toMillis() / 1000.0));
    }

    private static long contentRangeStart(HttpResponse<?> response) {
        Matcher m = CONTENT_RANGE_START.matcher(response.headers().firstValue("Content-Range").orElse(""));
        return m.lookingAt() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void verify(RemoteFile file, FileMetadata meta, PartialBlob partial) {
        long length = partial.length();
        if (meta.size() >= 0 && length != meta.size()) {
            partial.discard();
            throw new ModelResolutionException("the download of " + file + " has " + length
                    + " bytes where the hub announced " + meta.size() + "; it was deleted, run again.");
        }
        if (meta.etagIsSha256() && !partial.sha256Hex().equals(meta.etag())) {
            String actual = partial.sha256Hex();
            partial.discard();
            throw new ModelResolutionException("the download of " + file + " is corrupt: its SHA-256 is " + actual
                    + " where the hub announced " + meta.etag() + ". It was deleted; run again to download it "
                    + "anew (if this repeats, something between you and the hub alters downloads).");
        }
    }
}

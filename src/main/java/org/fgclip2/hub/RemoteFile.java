package org.fgclip2.hub;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A file of a hub repository at a revision (a branch or tag before the commit is known, the commit after). */
record RemoteFile(RepoId repo, String revision, String name) {

    /** {@code {endpoint}/{owner}/{name}/resolve/{revision}/{file}}, the address the hub serves files at. */
    URI uri(URI endpoint) {
        // A revision such as "refs/pr/1" is one path segment for the hub, so its '/' is escaped; a file's are not.
        String path = Arrays.stream(name.split("/")).map(RemoteFile::escape).collect(Collectors.joining("/"));
        return URI.create(
                endpoint + "/" + repo.owner() + "/" + repo.name() + "/resolve/" + escape(revision) + "/" + path);
    }

    private static String escape(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return name + " of " + repo.id() + " at " + revision;
    }
}

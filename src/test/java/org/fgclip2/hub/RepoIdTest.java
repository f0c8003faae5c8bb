package org.fgclip2.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepoIdTest {

    @Test
    void ownerAndNameDefaultToTheMainBranch() {
        assertThat(RepoId.parse("qihoo360/fg-clip2-base"))
                .contains(new RepoId("qihoo360", "fg-clip2-base", "main"));
    }

    @Test
    void aRevisionFollowsTheAtSign() {
        assertThat(RepoId.parse("qihoo360/fg-clip2-so400m@v1.0"))
                .contains(new RepoId("qihoo360", "fg-clip2-so400m", "v1.0"));
        assertThat(RepoId.parse("a/b@refs/pr/3")).contains(new RepoId("a", "b", "refs/pr/3"));
        RepoId pinned = RepoId.parse("a/b@0123456789abcdef0123456789abcdef01234567").orElseThrow();
        assertThat(pinned.revisionIsCommit()).isTrue();
        assertThat(RepoId.parse("a/b@main").orElseThrow().revisionIsCommit()).isFalse();
    }

    @Test
    void pathsAndMalformedIdsAreNotHubIds() {
        for (String text : List.of("model", "/abs/path", "./a/b", "../a", "a/b/c", "~/models/x", "C:\\models\\x",
                "a--b/c", "a/b..c", "a/b@", "a/b@../../etc", "a/b@/abs", "-a/b", "a/b c")) {
            assertThat(RepoId.parse(text)).as(text).isEmpty();
        }
    }

    @Test
    void fileAddressesEscapeTheRevisionAsOneSegment() {
        RepoId repo = RepoId.parse("a/b@refs/pr/3").orElseThrow();
        URI endpoint = URI.create("https://hub.example");

        assertThat(new RemoteFile(repo, repo.revision(), "sub dir/model.safetensors").uri(endpoint))
                .hasToString("https://hub.example/a/b/resolve/refs%2Fpr%2F3/sub%20dir/model.safetensors");
    }
}

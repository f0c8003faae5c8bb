package org.fgclip2.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment layer, fed with fake environments. */
class HubOptionsTest {

    @TempDir
    Path home;

    @Test
    void defaultsMatchHuggingfaceHub() {
        HubOptions options = HubOptions.fromEnvironment(Map.of(), home);

        assertThat(options.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(options.cacheRoot()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(options.token()).isNull();
        assertThat(options.offline()).isFalse();
        assertThat(options.readTimeout()).isEqualTo(HubOptions.DEFAULT_READ_TIMEOUT);
        assertThat(options.maxAttempts()).isEqualTo(HubOptions.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void theTokenFileIsReadFromTheDefaultHfHome() throws IOException {
        Path tokenFile = Files.createDirectories(home.resolve(".cache/huggingface")).resolve("token");
        Files.writeString(tokenFile, "hf_from_file\n");

        assertThat(HubOptions.fromEnvironment(Map.of(), home).token()).isEqualTo("hf_from_file");
    }

    @Test
    void hfHomeMovesCacheAndTokenFile() throws IOException {
        Path hfHome = Files.createDirectories(home.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "hf_in_hf_home");

        HubOptions options = HubOptions.fromEnvironment(Map.of("HF_HOME", hfHome.toString()), home);

        assertThat(options.cacheRoot()).isEqualTo(hfHome.resolve("hub"));
        assertThat(options.token()).isEqualTo("hf_in_hf_home");
    }

    @Test
    void hfHubCacheWinsOverHfHomeAndXdg() {
        HubOptions options = HubOptions.fromEnvironment(Map.of("HF_HUB_CACHE", "/data/hub", "HF_HOME", "/data/hf",
                "XDG_CACHE_HOME", "/data/xdg"), home);

        assertThat(options.cacheRoot()).isEqualTo(Path.of("/data/hub"));
    }

    @Test
    void xdgCacheHomeIsUsedWithoutHfHome() {
        assertThat(HubOptions.fromEnvironment(Map.of("XDG_CACHE_HOME", "/data/xdg"), home).cacheRoot())
                .isEqualTo(Path.of("/data/xdg/huggingface/hub"));
    }

    @Test
    void aLeadingTildeMeansTheHomeFolder() {
        assertThat(HubOptions.fromEnvironment(Map.of("HF_HOME", "~/hf"), home).cacheRoot())
                .isEqualTo(home.resolve("hf/hub"));
    }

    @Test
    void hfTokenWinsOverTheTokenFileUnlessBlank() throws IOException {
        Path tokenFile = Files.writeString(home.resolve("my-token"), "hf_from_file");

        assertThat(HubOptions.fromEnvironment(
                Map.of("HF_TOKEN", "hf_from_env", "HF_TOKEN_PATH", tokenFile.toString()), home).token())
                .isEqualTo("hf_from_env");
        assertThat(HubOptions.fromEnvironment(
                Map.of("HF_TOKEN", "  ", "HF_TOKEN_PATH", tokenFile.toString()), home).token())
                .isEqualTo("hf_from_file");
    }

    @Test
    void offlineTakesTheValuesHuggingfaceHubTakes() {
        for (String yes : new String[] {"1", "true", "TRUE", "yes", "on"}) {
            assertThat(HubOptions.fromEnvironment(Map.of("HF_HUB_OFFLINE", yes), home).offline()).as(yes).isTrue();
        }
        for (String no : new String[] {"0", "false", "no", ""}) {
            assertThat(HubOptions.fromEnvironment(Map.of("HF_HUB_OFFLINE", no), home).offline()).as(no).isFalse();
        }
    }

    @Test
    void theEndpointLosesItsTrailingSlash() {
        assertThat(HubOptions.fromEnvironment(Map.of("HF_ENDPOINT", "https://hf-mirror.com/"), home).endpoint())
                .isEqualTo(URI.create("https://hf-mirror.com"));
    }

    @Test
    void anEndpointWithoutSchemeIsRefusedWithTheVariableNamed() {
        assertThatThrownBy(() -> HubOptions.fromEnvironment(Map.of("HF_ENDPOINT", "hf-mirror.com"), home))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the hub endpoint (HF_ENDPOINT) must be an http(s) URL such as https://huggingface.co, "
                        + "got hf-mirror.com");
    }

    @Test
    void theTokenStaysOutOfToString() {
        HubOptions options = HubOptions.fromEnvironment(Map.of("HF_TOKEN", "hf_secret_value"), home);

        assertThat(options.toString()).doesNotContain("hf_secret_value").contains("token=set");
    }
}

package org.fgclip2.serialization.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the registry jar; starting it is in LocalSchemaRegistryIT. */
class LocalSchemaRegistryTest {

    @Test
    void anExplicitJarIsUsedAsGiven(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("registry.jar"));

        assertThat(LocalSchemaRegistry.locateJar(jar)).isEqualTo(jar);
    }

    @Test
    void aMissingJarSaysHowToBuildIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.jar");

        assertThatThrownBy(() -> LocalSchemaRegistry.locateJar(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("mvn package");
        assertThatThrownBy(() -> LocalSchemaRegistry.start(missing, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mvn package");
    }
}

package org.fgclip2.serialization.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Starts and stops the real registry on its own, apart from the one the other integration tests share. */
class LocalSchemaRegistryIT {

    @Test
    void startsOnAFreeLoopbackPortWithBackwardCompatibilityAndLeavesNoProcessBehind() throws Exception {
        long pid;
        try (LocalSchemaRegistry registry = LocalSchemaRegistry.start()) {
            pid = registry.pid();
            assertThat(registry.url().toString()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
            assertThat(registry.port()).isPositive();

            RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistryConfig.forUrls(registry.url().toString()));
            assertThat(client.globalCompatibility()).isEqualTo(Compatibility.BACKWARD);
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());
            assertThat(Files.readString(registry.logFile())).contains("Listening on: http://127.0.0.1:" + registry.port());
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
}

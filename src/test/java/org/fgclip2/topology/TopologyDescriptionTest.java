package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology is an artifact: processors, stores and internal topic names are part of the on-disk and in-Kafka
 * state of a running deployment, so a change to them must be deliberate. This test fails on any difference from
 * the reviewed description in {@code topology/}; after reviewing a change (and its upgrade path), rewrite the files
 * with {@code mvn test -Dtest=TopologyDescriptionTest -Dfgclip2.topology.write=true}.
 */
class TopologyDescriptionTest {

    static final Path DESCRIPTION = Path.of("topology/topology.txt");
    static final Path DIAGRAM = Path.of("topology/topology.md");

    @TempDir
    Path tmp;

    @Test
    void topologyIsTheReviewedOne() throws Exception {
        TopologyDescription description;
        try (TopologyHarness h = new TopologyHarness(tmp, TopologyHarness.settings(Map.of()))) {
            description = LabelingTopology.build(h.services).describe();
        }
        String text = description.toString();
        String diagram = "# Topology\n\nGenerated from `Topology#describe()` by `TopologyDescriptionTest`; the text"
                + " form is in [topology.txt](topology.txt).\n\n```mermaid\n" + TopologyDiagram.mermaid(description)
                + "```\n";
        if (Boolean.getBoolean("fgclip2.topology.write")) {
            Files.createDirectories(DESCRIPTION.getParent());
            Files.writeString(DESCRIPTION, text);
            Files.writeString(DIAGRAM, diagram);
        }
        assertThat(Files.readString(DESCRIPTION))
                .as("topology changed: review it, then rewrite topology/ with -Dfgclip2.topology.write=true")
                .isEqualTo(text);
        assertThat(Files.readString(DIAGRAM)).isEqualTo(diagram);
    }
}

package org.fgclip2.topology;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;

/**
 * A Mermaid flowchart of a topology description: topics as rounded boxes, processors as boxes, state stores as
 * cylinders. GitHub renders it, so the checked-in picture is always the real topology.
 */
final class TopologyDiagram {
    private TopologyDiagram() {
    }

    static String mermaid(TopologyDescription description) {
        Set<String> lines = new LinkedHashSet<>();
        lines.add("flowchart LR");
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            TopologyDescription.Source source = global.source();
            for (String topic : source.topicSet()) {
                lines.add("  " + topicNode(topic) + " --> " + processorNode(global.processor().name()));
            }
            for (String store : global.processor().stores()) {
                lines.add("  " + processorNode(global.processor().name()) + " --> " + storeNode(store + " (global)", store));
            }
        }
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    for (TopologyDescription.Node child : source.successors()) {
                        for (String topic : source.topicSet()) {
                            lines.add("  " + topicNode(topic) + " --> " + processorNode(child.name()));
                        }
                    }
                } else if (node instanceof TopologyDescription.Processor processor) {
                    for (String store : processor.stores()) {
                        lines.add("  " + processorNode(processor.name()) + " <--> " + storeNode(store, store));
                    }
                    for (TopologyDescription.Node child : processor.successors()) {
                        if (child instanceof TopologyDescription.Sink sink) {
                            lines.add("  " + processorNode(processor.name()) + " --> " + topicNode(sink.topic()));
                        } else {
                            lines.add("  " + processorNode(processor.name()) + " --> " + processorNode(child.name()));
                        }
                    }
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static String id(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String topicNode(String topic) {
        return "t_" + id(topic) + "([" + topic + "])";
    }

    private static String processorNode(String name) {
        return "p_" + id(name) + "[" + name + "]";
    }

    private static String storeNode(String label, String store) {
        return "s_" + id(store) + "[(" + label + ")]";
    }
}

package org.fgclip2.app.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.fgclip2.avro.LabelDefinition;

/** The playground's bilingual sample label set, shipped as a label file in the jar. */
final class SampleLabels {
    private SampleLabels() {
    }

    static List<LabelDefinition> load() throws IOException {
        JsonNode root;
        try (InputStream in = SampleLabels.class.getResourceAsStream("/org/fgclip2/app/dev/sample-labels.yaml")) {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        List<LabelDefinition> out = new ArrayList<>();
        for (JsonNode l : root.get("labels")) {
            List<String> prompts = new ArrayList<>();
            l.get("prompts").forEach(p -> prompts.add(p.asText()));
            out.add(LabelDefinition.newBuilder().setLabelId(l.get("id").asText())
                    .setLabelSet(root.path("labelSet").asText("default")).setPrompts(prompts)
                    .setBoxPrompt(l.hasNonNull("boxPrompt") ? l.get("boxPrompt").asText() : null).build());
        }
        return out;
    }
}

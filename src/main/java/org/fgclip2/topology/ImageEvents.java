package org.fgclip2.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.fgclip2.avro.ImageEvent;
import org.fgclip2.avro.Stage;

/**
 * Checks an image event before it is accepted: what labelling needs of it, and the limits that keep every output
 * about the image small (its id keys every output, its attributes are copied into every output).
 */
final class ImageEvents {

    static final int MAX_ID_BYTES = 1024;
    static final int MAX_ATTRIBUTES_BYTES = 65_536;

    /** Why an event is refused, and at which stage. */
    record Problem(Stage stage, String reason) {
    }

    private ImageEvents() {
    }

    /** @return null when the event can be labelled */
    static Problem check(ImageEvent event, int maxPatchesPerImage) {
        if (event.getId() == null || event.getId().isBlank() || event.getUri() == null || event.getUri().isBlank()) {
            return new Problem(Stage.DESERIALIZE, "an image event needs a non-empty id and uri");
        }
        int idBytes = event.getId().getBytes(StandardCharsets.UTF_8).length;
        if (idBytes > MAX_ID_BYTES) {
            return new Problem(Stage.DESERIALIZE, "the image id is " + idBytes + " bytes long, above the limit of "
                    + MAX_ID_BYTES);
        }
        long attributeBytes = 0;
        for (Map.Entry<String, String> a : event.getAttributes().entrySet()) {
            attributeBytes += a.getKey().getBytes(StandardCharsets.UTF_8).length
                    + a.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (attributeBytes > MAX_ATTRIBUTES_BYTES) {
            return new Problem(Stage.DESERIALIZE, "the attributes take " + attributeBytes + " bytes, above the limit"
                    + " of " + MAX_ATTRIBUTES_BYTES + " (they are copied into every output about the image)");
        }
        Integer maxPatches = event.getMaxPatches();
        if (maxPatches != null && (maxPatches < 1 || maxPatches > maxPatchesPerImage)) {
            return new Problem(Stage.PREPROCESS, "maxPatches " + maxPatches + " is outside [1, " + maxPatchesPerImage
                    + "]");
        }
        return null;
    }

    /** Whether the id can key the outputs (a dead letter keyed by a refused id would carry the problem along). */
    static boolean usableId(ImageEvent event) {
        return event.getId() != null && !event.getId().isBlank()
                && event.getId().getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES;
    }
}

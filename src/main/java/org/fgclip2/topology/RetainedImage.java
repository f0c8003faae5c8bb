package org.fgclip2.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.LabelScore;
import org.fgclip2.avro.LabelTrigger;
import org.fgclip2.avro.RegionLabels;

/**
 * A labelled image as a task keeps it for re-labelling: what its {@code ImageLabels} say besides the scores, the
 * image embedding the scores came from, and its {@link LabelState}. It is also where every {@code ImageLabels}
 * record is built, so a re-scored image reads like a fresh one.
 *
 * @param gridHeight rows of the patch grid the image ran at
 * @param gridWidth columns of that grid
 * @param contentSha256 of the image bytes; null when unknown
 * @param embedding L2-normalised image embedding
 * @param retainedAtMillis when it was first labelled (the re-labelling window counts from here)
 * @param state how it was last scored and published
 */
record RetainedImage(String imageId, String uri, String labelSet, String modelId, Map<String, String> attributes,
                     int gridHeight, int gridWidth, long eventTimestampMillis, String contentSha256,
                     float[] embedding, long retainedAtMillis, LabelState state) {

    /** Format of the body; it has not changed since the store was introduced. */
    private static final byte BODY_FORMAT = 1;
    /** Format of the label state: 2 added the review labels and the decision (1 reads as none of either). */
    private static final byte STATE_FORMAT = 2;

    /**
     * @param scores every label, highest score first
     * @param outcome what the scores decide (not {@link #state()}'s when the image is being re-scored)
     * @param regions the labels of the boxes the event named
     */
    ImageLabels labels(LabelMatrix matrix, List<LabelMatrix.Score> scores, LabelMatrix.Outcome outcome,
                       List<RegionLabels> regions, LabelTrigger trigger, Instant now) {
        List<LabelScore> list = new ArrayList<>(scores.size());
        for (LabelMatrix.Score score : scores) {
            list.add(new LabelScore(score.label().labelId(), score.score(), score.positive(), score.prompt()));
        }
        return ImageLabels.newBuilder()
                .setImageId(imageId)
                .setUri(uri)
                .setLabelSet(matrix.labelSet())
                .setModelId(modelId)
                .setLabelSetVersion(matrix.version())
                .setLabels(list)
                .setSpatialShape(List.of(gridHeight, gridWidth))
                .setAttributes(attributes)
                .setEventTimestamp(Instant.ofEpochMilli(eventTimestampMillis))
                .setLabelledAt(now)
                .setContentSha256(contentSha256)
                .setTrigger(trigger)
                .setDecision(outcome.decision())
                .setReviewLabels(outcome.reviewLabels())
                .setRegions(regions)
                .build();
    }

    /**
     * How the image was last scored and published, stored apart from the rest so that a re-scoring rewrites (and
     * logs to the changelog) a few hundred bytes, not the embedding; and so that a label whose prompts did not
     * change keeps its score without a dot product.
     *
     * @param labelSet the image's label set (also in the body: here so that a sweep reads only states)
     * @param labelSetVersion the version of the set the scores are for
     * @param outcome what the scores decided then: a re-scoring that changes it is published
     * @param scores every label's score and best prompt, in the label order of that version
     */
    record LabelState(String labelSet, String labelSetVersion, LabelMatrix.Outcome outcome,
                      LabelMatrix.Scores scores) {

        static LabelState of(LabelMatrix matrix, LabelMatrix.Scores scores) {
            return new LabelState(matrix.labelSet(), matrix.version(), matrix.outcome(scores), scores);
        }

        byte[] toBytes() {
            byte[] set = utf8(labelSet);
            byte[] version = utf8(labelSetVersion);
            List<byte[]> positives = outcome.positives().stream().map(RetainedImage::utf8).toList();
            List<byte[]> review = outcome.reviewLabels().stream().map(RetainedImage::utf8).toList();
            byte[] decision = utf8(outcome.decision());
            int size = 1 + sized(set) + sized(version) + sizedList(positives) + 4 + 6 * scores.scores().length
                    + sizedList(review) + sized(decision);
            ByteBuffer out = ByteBuffer.allocate(size).put(STATE_FORMAT);
            putString(out, set);
            putString(out, version);
            putList(out, positives);
            out.putInt(scores.scores().length);
            for (int i = 0; i < scores.scores().length; i++) {
                out.putFloat(scores.scores()[i]).putShort((short) scores.bestPrompts()[i]);
            }
            putList(out, review);
            putString(out, decision);
            return out.array();
        }

        static LabelState fromBytes(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte format = in.get();
            if (format != 1 && format != STATE_FORMAT) {
                throw unreadable("label state", format, STATE_FORMAT);
            }
            String labelSet = getString(in);
            String version = getString(in);
            List<String> positives = getList(in);
            int labels = in.getInt();
            float[] scores = new float[labels];
            int[] best = new int[labels];
            for (int i = 0; i < labels; i++) {
                scores[i] = in.getFloat();
                best[i] = in.getShort();
            }
            List<String> review = format == 1 ? List.of() : getList(in);
            String decision = format == 1 ? null : getString(in);
            return new LabelState(labelSet, version, new LabelMatrix.Outcome(positives, review, decision),
                    new LabelMatrix.Scores(scores, best));
        }
    }

    /** Everything but the {@link #state()}: what never changes while the image is kept. */
    byte[] bodyBytes() {
        List<byte[]> head = new ArrayList<>();
        for (String s : new String[] {imageId, uri, labelSet, modelId}) {
            head.add(utf8(s));
        }
        List<byte[]> pairs = new ArrayList<>();
        attributes.forEach((k, v) -> {
            pairs.add(utf8(k));
            pairs.add(utf8(v));
        });
        byte[] sha = utf8(contentSha256);
        int size = 1 + head.stream().mapToInt(RetainedImage::sized).sum() + 4
                + pairs.stream().mapToInt(RetainedImage::sized).sum() + 4 + 4 + 8 + sized(sha) + 4
                + 4 * embedding.length + 8;
        ByteBuffer out = ByteBuffer.allocate(size).put(BODY_FORMAT);
        head.forEach(b -> putString(out, b));
        out.putInt(attributes.size());
        pairs.forEach(b -> putString(out, b));
        out.putInt(gridHeight).putInt(gridWidth).putLong(eventTimestampMillis);
        putString(out, sha);
        out.putInt(embedding.length);
        out.asFloatBuffer().put(embedding);
        out.position(out.position() + 4 * embedding.length);
        out.putLong(retainedAtMillis);
        return out.array();
    }

    static RetainedImage of(byte[] body, LabelState state) {
        ByteBuffer in = opened(body);
        String imageId = getString(in);
        String uri = getString(in);
        String labelSet = getString(in);
        String modelId = getString(in);
        int attributeCount = in.getInt();
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < attributeCount; i++) {
            attributes.put(getString(in), getString(in));
        }
        int gridHeight = in.getInt();
        int gridWidth = in.getInt();
        long eventTimestamp = in.getLong();
        String sha = getString(in);
        int dim = in.getInt();
        if (dim < 0 || 4L * dim > in.remaining()) {
            throw new IllegalStateException("a retained image with " + dim + " floats in " + in.remaining() + " bytes");
        }
        float[] embedding = new float[dim];
        in.asFloatBuffer().get(embedding);
        in.position(in.position() + 4 * dim);
        return new RetainedImage(imageId, uri, labelSet, modelId, attributes, gridHeight, gridWidth,
                eventTimestamp, sha, embedding, in.getLong(), state);
    }

    /** The bytes past the body's format byte, which must be this version's. */
    private static ByteBuffer opened(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte format = in.get();
        if (format != BODY_FORMAT) {
            throw unreadable("image", format, BODY_FORMAT);
        }
        return in;
    }

    private static IllegalStateException unreadable(String what, byte format, byte newest) {
        return new IllegalStateException("retained-images store holds a " + what + " of format " + format
                + ", this version reads up to " + newest + ": downgrade is not supported");
    }

    /** Bytes a list of strings takes: its size, then each string. */
    private static int sizedList(List<byte[]> utf8) {
        return 4 + utf8.stream().mapToInt(RetainedImage::sized).sum();
    }

    private static void putList(ByteBuffer out, List<byte[]> utf8) {
        out.putInt(utf8.size());
        utf8.forEach(b -> putString(out, b));
    }

    private static List<String> getList(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || 4L * count > in.remaining()) {
            throw new IllegalStateException("a retained image with a list of " + count + " strings in "
                    + in.remaining() + " bytes");
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(getString(in));
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes a string takes: its length (-1 for null), then its UTF-8. */
    private static int sized(byte[] utf8) {
        return 4 + (utf8 == null ? 0 : utf8.length);
    }

    private static void putString(ByteBuffer out, byte[] utf8) {
        out.putInt(utf8 == null ? -1 : utf8.length);
        if (utf8 != null) {
            out.put(utf8);
        }
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < -1 || length > in.remaining()) {
            throw new IllegalStateException("a retained image with a string of " + length + " bytes in "
                    + in.remaining());
        }
        if (length < 0) {
            return null;
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}

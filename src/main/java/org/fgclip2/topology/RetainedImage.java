package org.fgclip2.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private static final byte FORMAT = 1;

    ImageLabels labels(LabelMatrix matrix, List<LabelMatrix.Score> scores, LabelTrigger trigger, Instant now) {
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
                .build();
    }

    /**
     * How the image was last scored and published, stored apart from the rest so that a re-scoring rewrites (and
     * logs to the changelog) a few hundred bytes, not the embedding; and so that a label whose prompts did not
     * change keeps its score without a dot product.
     *
     * @param labelSet the image's label set (also in the body: here so that a sweep reads only states)
     * @param labelSetVersion the version of the set the scores are for
     * @param positives the ids of the positive labels then, sorted
     * @param scores every label's score and best prompt, in the label order of that version
     */
    record LabelState(String labelSet, String labelSetVersion, List<String> positives, LabelMatrix.Scores scores) {

        static LabelState of(LabelMatrix matrix, LabelMatrix.Scores scores) {
            return new LabelState(matrix.labelSet(), matrix.version(), matrix.positives(scores), scores);
        }

        /** Written with a {@link ByteBuffer}: a sweep reads and writes one per re-scored image. */
        byte[] toBytes() {
            byte[] set = labelSet.getBytes(StandardCharsets.UTF_8);
            byte[] version = labelSetVersion.getBytes(StandardCharsets.UTF_8);
            List<byte[]> ids = positives.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
            int size = 1 + 4 + set.length + 4 + version.length + 4 + 4 + 6 * scores.scores().length;
            for (byte[] id : ids) {
                size += 4 + id.length;
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.put(FORMAT);
            out.putInt(set.length).put(set);
            out.putInt(version.length).put(version);
            out.putInt(ids.size());
            for (byte[] id : ids) {
                out.putInt(id.length).put(id);
            }
            out.putInt(scores.scores().length);
            for (int i = 0; i < scores.scores().length; i++) {
                out.putFloat(scores.scores()[i]).putShort((short) scores.bestPrompts()[i]);
            }
            return out.array();
        }

        static LabelState fromBytes(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte format = in.get();
            if (format != FORMAT) {
                throw new IllegalStateException("retained-images store holds format " + format + ", this version"
                        + " reads " + FORMAT + ": downgrade is not supported");
            }
            String labelSet = string(in);
            String version = string(in);
            int count = in.getInt();
            List<String> positives = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                positives.add(string(in));
            }
            int labels = in.getInt();
            float[] scores = new float[labels];
            int[] best = new int[labels];
            for (int i = 0; i < labels; i++) {
                scores[i] = in.getFloat();
                best[i] = in.getShort();
            }
            return new LabelState(labelSet, version, positives, new LabelMatrix.Scores(scores, best));
        }

        private static String string(ByteBuffer in) {
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalStateException("a label state with a string of " + length + " bytes in "
                        + in.remaining());
            }
            byte[] utf8 = new byte[length];
            in.get(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }
    }

    /** Everything but the {@link #state()}: what never changes while the image is kept. */
    byte[] bodyBytes() {
        return write(256 + 4 * embedding.length, out -> {
            writeString(out, imageId);
            writeString(out, uri);
            writeString(out, labelSet);
            writeString(out, modelId);
            out.writeInt(attributes.size());
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                writeString(out, a.getKey());
                writeString(out, a.getValue());
            }
            out.writeInt(gridHeight);
            out.writeInt(gridWidth);
            out.writeLong(eventTimestampMillis);
            writeString(out, contentSha256);
            out.writeInt(embedding.length);
            byte[] floats = new byte[4 * embedding.length];
            ByteBuffer.wrap(floats).asFloatBuffer().put(embedding);
            out.write(floats);
            out.writeLong(retainedAtMillis);
        });
    }

    static RetainedImage of(byte[] body, LabelState state) {
        return read(body, in -> {
            String imageId = readString(in);
            String uri = readString(in);
            String labelSet = readString(in);
            String modelId = readString(in);
            int attributeCount = in.readInt();
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < attributeCount; i++) {
                attributes.put(readString(in), readString(in));
            }
            int gridHeight = in.readInt();
            int gridWidth = in.readInt();
            long eventTimestamp = in.readLong();
            String sha = readString(in);
            float[] embedding = new float[in.readInt()];
            ByteBuffer.wrap(in.readNBytes(4 * embedding.length)).asFloatBuffer().get(embedding);
            return new RetainedImage(imageId, uri, labelSet, modelId, attributes, gridHeight, gridWidth,
                    eventTimestamp, sha, embedding, in.readLong(), state);
        });
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(int sizeHint, Writer writer) {
        try (ByteArrayOutputStream buffer = new ByteArrayOutputStream(sizeHint);
             DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT);
            writer.write(out);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("retained-images store holds format " + format + ", this version"
                        + " reads " + FORMAT + ": downgrade is not supported");
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n < 0 ? null : new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}

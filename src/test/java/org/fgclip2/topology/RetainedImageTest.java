package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetainedImageTest {

    private static RetainedImage image(String sha) {
        float[] embedding = new float[768];
        for (int i = 0; i < embedding.length; i++) {
            embedding[i] = (float) Math.sin(i) / 20;
        }
        return new RetainedImage("图片-1", "https://example.com/a.jpg?x=1", "moderation", "fg-clip2-base@abc",
                Map.of("source", "upload", "用户", "42"), 24, 32, 1_700_000_000_000L, sha, embedding,
                1_700_000_100_000L, new RetainedImage.LabelState("moderation", "v1",
                        new LabelMatrix.Outcome(List.of("nudity", "weapon"), List.of("drugs"), "block"),
                        new LabelMatrix.Scores(new float[] {0.9f, 0.01f, 0.7f}, new int[] {1, 0, 2})));
    }

    @Test
    void bodyAndStateReadBackAsTheImage() {
        for (String sha : new String[] {"ab".repeat(32), null}) {
            RetainedImage image = image(sha);
            RetainedImage.LabelState state = RetainedImage.LabelState.fromBytes(image.state().toBytes());
            RetainedImage back = RetainedImage.of(image.bodyBytes(), state);
            assertThat(back).usingRecursiveComparison().isEqualTo(image);
        }
    }

    /** A re-scoring rewrites the state only: six bytes per label instead of the embedding. */
    @Test
    void theStateARescoringRewritesIsSmall() {
        RetainedImage image = image("ab".repeat(32));
        var rescored = new RetainedImage.LabelState("moderation", "v2",
                new LabelMatrix.Outcome(List.of("weapon"), List.of(), null),
                new LabelMatrix.Scores(new float[] {0.2f, 0.01f, 0.7f}, new int[] {0, 0, 2}));
        assertThat(rescored.toBytes().length).isLessThan(50 + 6 * 3);
        assertThat(image.bodyBytes().length).isGreaterThan(4 * 768);
        assertThat(RetainedImage.of(image.bodyBytes(), rescored).state()).usingRecursiveComparison()
                .isEqualTo(rescored);
    }

    @Test
    void aStoreOfAnotherFormatIsRefusedWithAReason() {
        byte[] state = image(null).state().toBytes();
        state[0] = 9;
        assertThatThrownBy(() -> RetainedImage.LabelState.fromBytes(state))
                .hasMessageContaining("format 9").hasMessageContaining("downgrade");
    }

    /** States written before review labels and decisions existed read as having neither. */
    @Test
    void aStateOfTheFirstFormatReadsWithoutReviewLabelsOrDecision() {
        byte[] set = "moderation".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] version = "v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] positive = "weapon".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer first = java.nio.ByteBuffer.allocate(1 + 4 + set.length + 4 + version.length + 4 + 4
                + positive.length + 4 + 2 * 6);
        first.put((byte) 1).putInt(set.length).put(set).putInt(version.length).put(version).putInt(1)
                .putInt(positive.length).put(positive).putInt(2).putFloat(0.8f).putShort((short) 1).putFloat(0.1f)
                .putShort((short) 0);
        RetainedImage.LabelState state = RetainedImage.LabelState.fromBytes(first.array());
        assertThat(state.outcome()).isEqualTo(new LabelMatrix.Outcome(List.of("weapon"), List.of(), null));
        assertThat(state.scores().scores()).containsExactly(0.8f, 0.1f);
        assertThat(state.scores().bestPrompts()).containsExactly(1, 0);
        assertThat(state.labelSetVersion()).isEqualTo("v1");
    }
}

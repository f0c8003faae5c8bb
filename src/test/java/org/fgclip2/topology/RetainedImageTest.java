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
                1_700_000_100_000L, new RetainedImage.LabelState("moderation", "v1", List.of("nudity", "weapon"),
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
        var rescored = new RetainedImage.LabelState("moderation", "v2", List.of("weapon"),
                new LabelMatrix.Scores(new float[] {0.2f, 0.01f, 0.7f}, new int[] {0, 0, 2}));
        assertThat(rescored.toBytes().length).isLessThan(40 + 6 * 3);
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
}

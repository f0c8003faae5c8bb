package org.fgclip2.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.inference.Scoring;
import org.fgclip2.inference.Vectors;
import org.junit.jupiter.api.Test;

class LabelMatrixTest {

    private static final Scoring SCORING = Scoring.of(4.7f, -16.5f);
    private static final ActionOrder ORDER = new AppConfig(Map.of()).labeling().actionOrder();

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.l2Normalize(v);
    }

    /** Every label scored against one image embedding, highest first, as a fresh image is scored. */
    private static List<LabelMatrix.Score> score(LabelMatrix matrix, float[] embedding) {
        return matrix.ranked(matrix.scoreAll(new float[][] {embedding}, SCORING)[0]);
    }

    private static LabelEntry label(String id, Random random, int prompts, int dim, float threshold) {
        List<String> texts = new ArrayList<>();
        float[][] embeddings = new float[prompts][];
        for (int p = 0; p < prompts; p++) {
            texts.add(id + " prompt " + p);
            embeddings[p] = unit(random, dim);
        }
        float[] box = unit(random, dim);
        return new LabelEntry(id, texts, embeddings, id, box, new float[][] {box}, threshold, "hash-" + id, null, 0f);
    }

    /** The transposed kernel must give the scores of one dot product per prompt, bit for bit. */
    @Test
    void scoresAreThoseOfOneDotProductPerPrompt() {
        Random random = new Random(7);
        int dim = 96;
        List<LabelEntry> labels = new ArrayList<>();
        for (int l = 0; l < 12; l++) {
            labels.add(label("label-" + l, random, 1 + l % 3, dim, 0.5f));
        }
        LabelMatrix matrix = LabelMatrix.of("set", labels, ORDER);
        for (int image = 0; image < 50; image++) {
            float[] embedding = unit(random, dim);
            for (LabelMatrix.Score score : score(matrix, embedding)) {
                double best = Double.NEGATIVE_INFINITY;
                String bestPrompt = null;
                for (int p = 0; p < score.label().promptEmbeddings().length; p++) {
                    double cos = Vectors.dot(embedding, score.label().promptEmbeddings()[p]);
                    if (cos > best) {
                        best = cos;
                        bestPrompt = score.label().prompts().get(p);
                    }
                }
                assertEquals(Float.floatToIntBits((float) SCORING.probability(best)),
                        Float.floatToIntBits(score.score()), score.label().labelId());
                assertEquals(bestPrompt, score.prompt());
            }
        }
    }

    /** Images scored four at a time get the scores each gets alone, bit for bit, and the positives they imply. */
    @Test
    void imagesScoredTogetherGetTheScoresEachGetsAlone() {
        Random random = new Random(11);
        int dim = 40;
        List<LabelEntry> labels = new ArrayList<>();
        for (int l = 0; l < 9; l++) {
            labels.add(label("label-" + l, random, 1 + l % 2, dim, l % 3 == 0 ? 0f : 0.5f));
        }
        LabelMatrix matrix = LabelMatrix.of("set", labels, ORDER);
        float[][] images = new float[7][];
        for (int i = 0; i < images.length; i++) {
            images[i] = unit(random, dim);
        }
        LabelMatrix.Scores[] together = matrix.scoreAll(images, SCORING);
        for (int i = 0; i < images.length; i++) {
            List<LabelMatrix.Score> alone = score(matrix, images[i]);
            List<LabelMatrix.Score> ranked = matrix.ranked(together[i]);
            for (int l = 0; l < alone.size(); l++) {
                assertEquals(alone.get(l).label().labelId(), ranked.get(l).label().labelId());
                assertEquals(Float.floatToIntBits(alone.get(l).score()), Float.floatToIntBits(ranked.get(l).score()));
                assertEquals(alone.get(l).prompt(), ranked.get(l).prompt());
            }
            assertEquals(alone.stream().filter(LabelMatrix.Score::positive).map(x -> x.label().labelId()).sorted()
                    .toList(), matrix.outcome(together[i]).positives());
        }
    }

    /**
     * Re-scoring against a new version of a set reuses the scores of labels whose prompts did not change and
     * computes the rest: bit for bit the scores of scoring against the new version from scratch, and the embedding is
     * not even asked for when no label needs it.
     */
    @Test
    void rescoringReusesUnchangedLabelsAndEqualsScoringFromScratch() {
        Random random = new Random(13);
        int dim = 48;
        List<LabelEntry> labels = new ArrayList<>();
        for (int l = 0; l < 8; l++) {
            labels.add(label("label-" + l, random, 1 + l % 3, dim, 0.5f));
        }
        LabelMatrix before = LabelMatrix.of("set", labels, ORDER);
        float[] image = unit(random, dim);
        LabelMatrix.Scores earlier = before.scoreAll(new float[][] {image}, SCORING)[0];

        List<LabelEntry> changed = new ArrayList<>(labels);
        LabelEntry third = labels.get(3);
        changed.set(3, new LabelEntry(third.labelId(), third.prompts(), new float[][] {unit(random, dim)},
                third.boxPrompt(), third.boxEmbedding(), third.regionEmbeddings(), third.threshold(), "reworded", null, 0f));
        changed.remove(5);
        changed.add(label("added", random, 2, dim, 0.1f));
        LabelMatrix after = LabelMatrix.of("set", changed, ORDER);
        LabelMatrix.Scores fromScratch = after.scoreAll(new float[][] {image}, SCORING)[0];
        LabelMatrix.Scores rescored = after.rescore(earlier, before.setLabels(), () -> image, SCORING);
        for (int l = 0; l < changed.size(); l++) {
            assertEquals(Float.floatToIntBits(fromScratch.scores()[l]), Float.floatToIntBits(rescored.scores()[l]));
            assertEquals(fromScratch.bestPrompts()[l], rescored.bestPrompts()[l]);
        }

        List<LabelEntry> thresholdsOnly = new ArrayList<>();
        for (LabelEntry l : labels) {
            thresholdsOnly.add(new LabelEntry(l.labelId(), l.prompts(), l.promptEmbeddings(), l.boxPrompt(),
                    l.boxEmbedding(), l.regionEmbeddings(), 0.01f, l.promptsHash(), null, 0f));
        }
        LabelMatrix lowered = LabelMatrix.of("set", thresholdsOnly, ORDER);
        LabelMatrix.Scores reused = lowered.rescore(earlier, before.setLabels(), () -> {
            throw new AssertionError("a threshold change needs no embedding");
        }, SCORING);
        assertEquals(java.util.Arrays.toString(earlier.scores()), java.util.Arrays.toString(reused.scores()));
    }

    @Test
    void scoresComeHighestFirstAndTheVersionFollowsThresholds() {
        Random random = new Random(3);
        List<LabelEntry> labels = List.of(label("a", random, 2, 16, 0.3f), label("b", random, 1, 16, 0.3f));
        LabelMatrix matrix = LabelMatrix.of("set", labels, ORDER);
        List<LabelMatrix.Score> scores = score(matrix, unit(random, 16));
        assertEquals(2, scores.size());
        assertEquals(true, scores.get(0).score() >= scores.get(1).score());

        LabelEntry a = labels.get(0);
        LabelEntry stricter = new LabelEntry(a.labelId(), a.prompts(), a.promptEmbeddings(), a.boxPrompt(),
                a.boxEmbedding(), a.regionEmbeddings(), 0.9f, a.promptsHash(), null, 0f);
        assertNotEquals(matrix.version(), LabelMatrix.of("set", List.of(stricter, labels.get(1)), ORDER).version());
        assertEquals(matrix.version(), LabelMatrix.of("set", List.of(labels.get(1), a), ORDER).version());
    }

    @Test
    void anEmbeddingOfAnotherSizeIsRefused() {
        Random random = new Random(5);
        LabelMatrix matrix = LabelMatrix.of("set", List.of(label("a", random, 1, 16, 0.3f)), ORDER);
        var e = assertThrows(IllegalArgumentException.class, () -> score(matrix, new float[8]));
        assertEquals(true, e.getMessage().contains("8-dimensional"), e.getMessage());
    }

    private static LabelEntry decides(String id, float threshold, String action, float reviewMargin) {
        return new LabelEntry(id, List.of(id), new float[][] {{1f}}, id, new float[] {1f}, new float[][] {{1f}}, threshold,
                "hash-" + id,
                action, reviewMargin);
    }

    /** The outcome of scores chosen by hand; labels are in id order, as the matrix keeps them. */
    private static LabelMatrix.Outcome outcome(List<LabelEntry> labels, float... scores) {
        LabelMatrix matrix = LabelMatrix.of("set", labels, ORDER);
        return matrix.outcome(new LabelMatrix.Scores(scores, new int[scores.length]));
    }

    @Test
    void theDecisionIsTheMostSevereActionOfThePositivesAndTheReviewBand() {
        List<LabelEntry> labels = List.of(decides("a_cat", 0.5f, "allow", 0f), decides("b_gore", 0.5f, "block", 0.1f),
                decides("c_spam", 0.5f, "quarantine", 0f), decides("d_nsfw", 0.4f, "review", 0.2f),
                decides("e_plain", 0.5f, null, 0.3f));
        // nothing positive, nothing near: no decision
        assertEquals(new LabelMatrix.Outcome(List.of(), List.of(), null), outcome(labels, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f));
        // allow alone
        assertEquals(new LabelMatrix.Outcome(List.of("a_cat"), List.of(), "allow"),
                outcome(labels, 0.9f, 0.1f, 0.1f, 0.1f, 0.1f));
        // a word of the team's own ranks above allow, below review
        assertEquals("quarantine", outcome(labels, 0.9f, 0.1f, 0.6f, 0.1f, 0.1f).decision());
        assertEquals("review", outcome(labels, 0.9f, 0.1f, 0.6f, 0.45f, 0.1f).decision());
        // at the threshold is positive; block beats everything
        assertEquals(new LabelMatrix.Outcome(List.of("a_cat", "b_gore", "c_spam", "d_nsfw"), List.of(), "block"),
                outcome(labels, 0.9f, 0.5f, 0.6f, 0.45f, 0.1f));
        // just below block's threshold, inside its band: review, and the band lists it; the band's lower edge counts
        LabelMatrix.Outcome near = outcome(labels, 0.9f, 0.45f, 0.1f, 0.1f, 0.2f);
        assertEquals(List.of("b_gore", "e_plain"), near.reviewLabels());
        assertEquals("review", near.decision());
        assertEquals(List.of("a_cat"), near.positives());
        // a label without an action still puts the image in review from its band
        assertEquals(new LabelMatrix.Outcome(List.of(), List.of("e_plain"), "review"),
                outcome(labels, 0.1f, 0.1f, 0.1f, 0.1f, 0.35f));
        // below the band: nothing
        assertEquals(new LabelMatrix.Outcome(List.of(), List.of(), null), outcome(labels, 0.1f, 0.39f, 0.1f, 0.1f, 0.19f));
    }

    @Test
    void actionsAndMarginsChangeTheVersionButSetsWithoutThemKeepTheirs() {
        Random random = new Random(11);
        LabelEntry a = label("a", random, 1, 8, 0.3f);
        LabelEntry b = label("b", random, 1, 8, 0.3f);
        String plain = LabelMatrix.of("set", List.of(a, b), ORDER).version();
        assertEquals(plain, LabelMatrix.of("set", List.of(a, b), ActionOrder.parse("allow,block")).version());
        LabelEntry blocking = new LabelEntry(a.labelId(), a.prompts(), a.promptEmbeddings(), a.boxPrompt(),
                a.boxEmbedding(), a.regionEmbeddings(), a.threshold(), a.promptsHash(), "block", 0f);
        LabelEntry reviewed = new LabelEntry(a.labelId(), a.prompts(), a.promptEmbeddings(), a.boxPrompt(),
                a.boxEmbedding(), a.regionEmbeddings(), a.threshold(), a.promptsHash(), "block", 0.05f);
        String withAction = LabelMatrix.of("set", List.of(blocking, b), ORDER).version();
        assertNotEquals(plain, withAction);
        assertNotEquals(withAction, LabelMatrix.of("set", List.of(reviewed, b), ORDER).version());
        assertNotEquals(withAction, LabelMatrix.of("set", List.of(blocking, b), ActionOrder.parse("allow,block"))
                .version());
    }

    @Test
    void anActionOrderIsWordsOnceEach() {
        assertEquals(List.of("block", "review", "allow"), ActionOrder.parse(" Block, review ,allow").mostSevereFirst());
        var twice = assertThrows(IllegalArgumentException.class, () -> ActionOrder.parse("block,review,block"));
        assertEquals(true, twice.getMessage().contains("twice"), twice.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> ActionOrder.parse("block,,allow"));
        assertEquals(true, empty.getMessage().contains("empty"), empty.getMessage());
    }
}

package io.github.kslr.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The open-set rule on hand-made unit embeddings (E = 2, so similarities are cosines of angles). */
class OpenSetRejectionTest {

    private static float[] unit(double degrees) {
        double r = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(r), (float) Math.sin(r)};
    }

    @Test
    void aWindowNearerTheBackgroundThanItsSignByMoreThanTheMarginIsRejected() {
        float[] bg = unit(40); // one background prototype at 40 degrees
        OpenSetRejection rule = new OpenSetRejection(0.6f, -0.05f, bg, 2);
        // Enrolled sign at 0 degrees. A window at 10 degrees: best = cos 10 = 0.985, background cos 30 = 0.866.
        float[] w = unit(10);
        assertTrue(rule.accepts(Math.cos(Math.toRadians(10)), w, 0));
        // A window at 30 degrees: best = cos 30 = 0.866 >= threshold, but background cos 10 = 0.985 > 0.866 + 0.05.
        float[] v = unit(30);
        assertEquals(Math.cos(Math.toRadians(10)), rule.backgroundSimilarity(v, 0), 1e-6);
        assertFalse(rule.accepts(Math.cos(Math.toRadians(30)), v, 0), "looks like something the embedder knows");
        // A wide enough margin lets it through; without background only the threshold decides.
        assertTrue(rule.withMargin(-0.2f).accepts(Math.cos(Math.toRadians(30)), v, 0));
        assertTrue(rule.withoutBackground().accepts(Math.cos(Math.toRadians(30)), v, 0));
        // The threshold still applies: best 0.5 < 0.6.
        assertFalse(rule.withoutBackground().accepts(0.5, unit(60), 0));
        assertEquals(0.4f, rule.withThreshold(0.4f).threshold());
        assertTrue(rule.withThreshold(0.4f).withoutBackground().accepts(0.5, unit(60), 0));
    }

    @Test
    void theNearestOfSeveralBackgroundPrototypesCountsAndOffsetsAreHonoured() {
        float[] bg = new float[4];
        System.arraycopy(unit(90), 0, bg, 0, 2);
        System.arraycopy(unit(-20), 0, bg, 2, 2);
        OpenSetRejection rule = new OpenSetRejection(0f, 0f, bg, 2);
        assertEquals(2, rule.backgroundCount());
        float[] two = new float[4];
        System.arraycopy(unit(0), 0, two, 0, 2);
        System.arraycopy(unit(85), 0, two, 2, 2);
        assertEquals(Math.cos(Math.toRadians(20)), rule.backgroundSimilarity(two, 0), 1e-6);
        assertEquals(Math.cos(Math.toRadians(5)), rule.backgroundSimilarity(two, 2), 1e-6);
        assertEquals(Double.NEGATIVE_INFINITY, rule.withoutBackground().backgroundSimilarity(two, 0));
    }

    @Test
    void aBackgroundPrototypeThatIsATaughtSignIsNoBackgroundForThatVocabulary() {
        float[] bg = new float[4];
        System.arraycopy(unit(0), 0, bg, 0, 2); // a sign the embedder was trained on
        System.arraycopy(unit(120), 0, bg, 2, 2); // something else it knows
        OpenSetRejection rule = new OpenSetRejection(0.5f, -0.05f, bg, 2);
        // The same sign taught again: its prototype at 20 degrees (cos 0.94 >= SAME_SIGN) to the first prototype.
        OpenSetRejection taught = rule.excluding(java.util.List.of(unit(20)));
        assertEquals(1, taught.backgroundCount());
        // A window of it at -5 degrees: best cos 25 = 0.906, background cos 5 = 0.996: rejected unless excluded.
        float[] w = unit(-5);
        double best = Math.cos(Math.toRadians(25));
        assertFalse(rule.accepts(best, w, 0));
        assertTrue(taught.accepts(best, w, 0));
        // The other prototype still rejects windows like it.
        assertFalse(taught.accepts(Math.cos(Math.toRadians(100)), unit(120), 0));
        // A sign at 30 degrees (cos 0.866 < SAME_SIGN) is another sign: the background stays, the same rule returns.
        assertTrue(rule.excluding(java.util.List.of(unit(30))) == rule);
        assertEquals(2, rule.excluding(java.util.List.of()).backgroundCount());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(InvalidInputException.class, () -> new OpenSetRejection(1.5f, 0, new float[0], 2));
        assertThrows(InvalidInputException.class, () -> new OpenSetRejection(0.5f, 3, new float[0], 2));
        assertThrows(InvalidInputException.class, () -> new OpenSetRejection(0.5f, 0, new float[3], 2));
        assertThrows(InvalidInputException.class, () -> new OpenSetRejection(0.5f, 0, new float[] {Float.NaN, 1}, 2));
    }
}

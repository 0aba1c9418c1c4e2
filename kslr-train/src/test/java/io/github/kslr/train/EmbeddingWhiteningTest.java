package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.InvalidInputException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingWhiteningTest {

    private static final int SIZE = 4;

    /**
     * Two signs along axes 0 and 1 whose takes differ mostly along axis 2 (as takes by different signers do): 200
     * unit embeddings, a sign every other one.
     */
    private static float[] takes(int[] labels, long seed) {
        Random r = new Random(seed);
        float[] out = new float[labels.length * SIZE];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            float[] v = new float[SIZE];
            v[labels[i]] = 1;
            v[2] = (float) (0.8 * r.nextGaussian());
            for (int k = 0; k < SIZE; k++) {
                v[k] += (float) (0.05 * r.nextGaussian());
            }
            TemporalConvNetwork.normalise(v, v);
            System.arraycopy(v, 0, out, i * SIZE, SIZE);
        }
        return out;
    }

    private static float[] unit(float... v) {
        float[] out = new float[v.length];
        TemporalConvNetwork.normalise(v, out);
        return out;
    }

    private static double cos(float[] a, float[] b) {
        double dot = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
        }
        return dot;
    }

    @Test
    void takesOfOneSignThatDifferWhereTrainingTakesDifferComeCloser() {
        int[] labels = new int[200];
        EmbeddingWhitening w = EmbeddingWhitening.fit(takes(labels, 3), labels, 200, SIZE, 0.3);
        assertEquals(SIZE, w.size());
        assertEquals(0.3, w.shrinkage());
        float[] pair = new float[3 * SIZE];
        System.arraycopy(unit(1, 0, 0.9f, 0), 0, pair, 0, SIZE); // sign 0, one signer
        System.arraycopy(unit(1, 0, -0.9f, 0), 0, pair, SIZE, SIZE); // sign 0, another
        System.arraycopy(unit(0, 1, 0.9f, 0), 0, pair, 2 * SIZE, SIZE); // sign 1, the first signer
        float[] a = Arrays.copyOfRange(pair, 0, SIZE);
        float[] b = Arrays.copyOfRange(pair, SIZE, 2 * SIZE);
        float[] c = Arrays.copyOfRange(pair, 2 * SIZE, 3 * SIZE);
        double sameBefore = cos(a, b);
        double otherBefore = cos(a, c);
        assertTrue(otherBefore > sameBefore, "before: the signer's variation dominates");
        w.applyInPlace(pair, 0, 3);
        a = Arrays.copyOfRange(pair, 0, SIZE);
        b = Arrays.copyOfRange(pair, SIZE, 2 * SIZE);
        c = Arrays.copyOfRange(pair, 2 * SIZE, 3 * SIZE);
        assertTrue(cos(a, b) > cos(a, c), "after: the sign dominates, " + cos(a, b) + " vs " + cos(a, c));
        assertTrue(cos(a, b) > sameBefore + 0.3, sameBefore + " -> " + cos(a, b));
        for (float[] v : new float[][] {a, b, c}) {
            assertEquals(1.0, cos(v, v), 1e-5);
        }
    }

    @Test
    void largerShrinkageWhitensLess() {
        int[] labels = new int[200];
        float[] data = takes(labels, 4);
        float[] little = {1, 0, 0.7f, 0, 1, 0, -0.7f, 0};
        float[] much = little.clone();
        EmbeddingWhitening.fit(data, labels, 200, SIZE, 0.01).applyInPlace(little, 0, 2);
        EmbeddingWhitening.fit(data, labels, 200, SIZE, 100).applyInPlace(much, 0, 2);
        double a = cos(Arrays.copyOfRange(little, 0, SIZE), Arrays.copyOfRange(little, SIZE, 8));
        double b = cos(Arrays.copyOfRange(much, 0, SIZE), Arrays.copyOfRange(much, SIZE, 8));
        assertTrue(a > b, a + " vs " + b);
    }

    @Test
    void badInputIsRefused() {
        int[] labels = new int[200];
        float[] data = takes(labels, 5);
        for (double s : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(InvalidInputException.class, () -> EmbeddingWhitening.fit(data, labels, 200, SIZE, s), "" + s);
        }
        assertThrows(InvalidInputException.class, () -> EmbeddingWhitening.fit(data, labels, 199, SIZE, 0.3));
        assertThrows(InvalidInputException.class, () -> EmbeddingWhitening.fit(data, new int[199], 200, SIZE, 0.3));
        assertThrows(
                InvalidInputException.class,
                () -> EmbeddingWhitening.fit(data, new int[200], 200, SIZE, 0.3),
                "one class");
        int[] negative = labels.clone();
        negative[7] = -1;
        assertThrows(InvalidInputException.class, () -> EmbeddingWhitening.fit(data, negative, 200, SIZE, 0.3));
        assertThrows(
                InvalidInputException.class,
                () -> EmbeddingWhitening.fit(data, labels, 200, SIZE, 0.3).applyInPlace(new float[7], 0, 2));
    }
}

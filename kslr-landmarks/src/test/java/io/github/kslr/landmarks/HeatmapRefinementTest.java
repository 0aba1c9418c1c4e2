package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class HeatmapRefinementTest {
    private static final int N = 64;

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Test
    void movesToTheWeightedMeanOfCellIndicesInTheWindow() {
        // Two landmarks, two channels. Channel 0: a symmetric blob around cell (col 20, row 30) plus a confident cell
        // at (22, 31); channel 1: nothing above 0.5 anywhere.
        FloatBuffer heat = FloatBuffer.allocate(N * N * 2);
        for (int i = 0; i < N * N * 2; i++) {
            heat.put(i, (float) logit(0.01));
        }
        heat.put((30 * N + 20) * 2, (float) logit(0.9));
        heat.put((31 * N + 22) * 2, (float) logit(0.6));
        heat.put((40 * N + 40) * 2 + 1, (float) logit(0.4));
        float[] lm = {20.7f / N, 30.2f / N, 0f, 40.5f / N, 40.5f / N, 0f};
        HeatmapRefinement.refine(lm, 3, 2, heat, N, N);
        // Expected from the definition: window cols 17..23, rows 27..33 (49 cells), sigmoid weights, integer indices.
        double sum = 0, wc = 0, wr = 0;
        for (int r = 27; r <= 33; r++) {
            for (int c = 17; c <= 23; c++) {
                double p = r == 30 && c == 20 ? 0.9 : r == 31 && c == 22 ? 0.6 : 0.01;
                sum += p;
                wc += c * p;
                wr += r * p;
            }
        }
        assertEquals(wc / sum / N, lm[0], 1e-6);
        assertEquals(wr / sum / N, lm[1], 1e-6);
        // Below the 0.5 confidence: unchanged.
        assertEquals(40.5f / N, lm[3], 0f);
        assertEquals(40.5f / N, lm[4], 0f);
    }

    @Test
    void clipsTheWindowAtTheEdgeAndSkipsLandmarksOutsideTheGrid() {
        FloatBuffer heat = FloatBuffer.allocate(N * N);
        for (int i = 0; i < N * N; i++) {
            heat.put(i, (float) logit(0.2));
        }
        heat.put(0, (float) logit(0.8));
        float[] lm = {0.1f / N, 0.3f / N, 1.2f, -0.5f};
        HeatmapRefinement.refine(lm, 2, 1, heat, N, N);
        double sum = 0, wc = 0, wr = 0;
        for (int r = 0; r <= 3; r++) {
            for (int c = 0; c <= 3; c++) {
                double p = r == 0 && c == 0 ? 0.8 : 0.2;
                sum += p;
                wc += c * p;
                wr += r * p;
            }
        }
        assertEquals(wc / sum / N, lm[0], 1e-6);
        assertEquals(wr / sum / N, lm[1], 1e-6);
        float[] outside = {1.2f, 0.5f};
        HeatmapRefinement.refine(outside, 2, 1, heat, N, N);
        assertEquals(1.2f, outside[0], 0f);
    }
}

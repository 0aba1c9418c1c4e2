package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FilterTest {
    /** The One-Euro filter written out from Casiez et al.'s formulas with MediaPipe's frequency and scale rules. */
    private static double[] reference(
            double[] xs, long[] tUs, double minCutoff, double beta, double dCutoff, double scale) {
        double[] out = new double[xs.length];
        double freq = 30, prevRaw = 0, prevOut = 0, prevD = 0;
        for (int i = 0; i < xs.length; i++) {
            if (i > 0) {
                freq = 1e6 / (tUs[i] - tUs[i - 1]);
            }
            double d = i == 0 ? 0 : (xs[i] - prevRaw) * scale * freq;
            double ad = 1 / (1 + freq / (2 * Math.PI * dCutoff));
            double ed = i == 0 ? d : ad * d + (1 - ad) * prevD;
            double cutoff = minCutoff + beta * Math.abs(ed);
            double a = 1 / (1 + freq / (2 * Math.PI * cutoff));
            out[i] = i == 0 ? xs[i] : a * xs[i] + (1 - a) * prevOut;
            prevRaw = xs[i];
            prevOut = out[i];
            prevD = ed;
        }
        return out;
    }

    @Test
    void oneEuroMatchesThePublishedFormula() {
        int n = 50;
        double[] xs = new double[n];
        long[] t = new long[n];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            xs[i] = 100 + 30 * Math.sin(i / 5.0) + r.nextGaussian() * 3;
            t[i] = 33_333L * (i + 1) + (i % 3) * 1000L;
        }
        double[] expected = reference(xs, t, 0.05, 80, 1, 1.0 / 250);
        OneEuroFilter f = new OneEuroFilter(0.05, 80, 1);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], f.apply(t[i], 1.0 / 250, xs[i]), 1e-9, "sample " + i);
        }
    }

    @Test
    void oneEuroPassesNonIncreasingTimestampsThroughAndResets() {
        OneEuroFilter f = new OneEuroFilter(0.05, 80, 1);
        f.apply(1000, 1, 10);
        f.apply(2000, 1, 20);
        assertEquals(99.0, f.apply(2000, 1, 99), 0);
        f.reset();
        assertEquals(5.0, f.apply(1000, 1, 5), 0);
    }

    @Test
    void aStreamStartingAtZeroIsFilteredLikeAnyOther() {
        OneEuroFilter a = new OneEuroFilter(0.05, 80, 1);
        OneEuroFilter b = new OneEuroFilter(0.05, 80, 1);
        double[] xs = {3, 7, 4, 9, 1};
        for (int i = 0; i < xs.length; i++) {
            assertEquals(b.apply(33_333L * (i + 1), 0.01, xs[i]), a.apply(33_333L * i, 0.01, xs[i]), 0);
        }
    }

    @Test
    void smootherFiltersPixelsAndLowPassesVisibility() {
        LandmarkSmoother s = new LandmarkSmoother(1, 0.05, 80, 1, true);
        float[] a = {0.5f, 0.5f, 0.1f, 1.0f};
        s.apply(a, 0, 4, true, true, 33_333, 640, 480, 200);
        float[] b = {0.6f, 0.5f, 0.1f, 0.0f};
        s.apply(b, 0, 4, true, true, 66_666, 640, 480, 200);
        assertEquals(0.1 * 0.0 + 0.9 * 1.0, b[3], 1e-6);
        double[] xs =
                reference(new double[] {0.5 * 640, 0.6 * 640}, new long[] {33_333, 66_666}, 0.05, 80, 1, 1.0 / 200);
        assertEquals(xs[1] / 640, b[0], 1e-6);
        assertEquals(0.5, b[1], 1e-6);
    }
}

package io.github.kslr.train;

/** The few vector loops the hand-written networks share. */
final class FloatMath {

    private FloatMath() {}

    /** Fills {@code a[off .. off + n)} with Gaussian draws of standard deviation {@code std} (initial weights). */
    static void gaussian(float[] a, java.util.Random r, int off, int n, double std) {
        for (int i = 0; i < n; i++) {
            a[off + i] = (float) (r.nextGaussian() * std);
        }
    }

    /** y[yo..yo+n) += a * x[xo..xo+n) - a loop the JIT vectorises. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    /** Dot product with four partial sums (float sums are not auto-vectorised; this keeps the pipeline busy). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Softmax of {@code logits} into {@code out}, with {@link StrictMath#exp} so results never depend on the JIT. */
    static void softmax(float[] logits, float[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) StrictMath.exp(logits[i] - max);
            sum += out[i];
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
    }
}

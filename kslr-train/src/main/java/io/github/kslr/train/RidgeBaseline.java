package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The linear baseline of the fixed split: one-vs-rest least squares with L2 penalty {@code lambda} (ridge) on the
 * standardised, flattened raw windows - every frame's raw values side by side, each column standardised with the
 * training mean and standard deviation (constant columns keep scale 1). Targets are +1 for the class and -1
 * otherwise; the intercept is not penalised (features and targets are centred), as in scikit-learn's
 * {@code RidgeClassifier}. Solved in the dual ({@code (X X^T + lambda I) A = Y}) when there are fewer windows than
 * features, else in the primal, by Cholesky decomposition in double precision.
 *
 * <p><b>Thread-safety.</b> Immutable after {@link #fit}; {@link #predict} may be called from several threads.
 */
public final class RidgeBaseline {

    private final float[] mean;
    private final float[] invStd;
    /** [features][classes]. */
    private final double[] w;

    private final double[] bias;
    private final int classes;

    private RidgeBaseline(float[] mean, float[] invStd, double[] w, double[] bias, int classes) {
        this.mean = mean;
        this.invStd = invStd;
        this.w = w;
        this.bias = bias;
        this.classes = classes;
    }

    /** Fits the baseline on {@code train} with penalty {@code lambda}, using {@code threads} threads. */
    public static RidgeBaseline fit(SignDataset train, double lambda, int threads) {
        Checks.notNull(train, "train");
        Checks.positive(threads, "threads");
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new InvalidInputException("lambda must be > 0, was " + lambda);
        }
        int n = train.size();
        int dim = train.windowSize();
        int classes = train.labels().size();
        float[] x = train.windows();
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double v = x[i * dim + j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        float[] mean = new float[dim];
        float[] inv = new float[dim];
        for (int j = 0; j < dim; j++) {
            double mu = sum[j] / n;
            double sd = Math.sqrt(Math.max(sq[j] / n - mu * mu, 0));
            mean[j] = (float) mu;
            inv[j] = sd > 1e-8 ? (float) (1 / sd) : 1f;
        }
        // Standardised, then centred again (the standardised means are ~0 but not exactly, in float).
        double[] z = new double[n * dim];
        double[] zmean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double v = (x[i * dim + j] - mean[j]) * inv[j];
                z[i * dim + j] = v;
                zmean[j] += v / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                z[i * dim + j] -= zmean[j];
            }
        }
        double[] y = new double[n * classes];
        double[] ymean = new double[classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                y[i * classes + c] = train.label(i) == c ? 1 : -1;
                ymean[c] += y[i * classes + c] / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                y[i * classes + c] -= ymean[c];
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        double[] w;
        try {
            if (n < dim) {
                double[] k = gram(z, n, dim, pool);
                for (int i = 0; i < n; i++) {
                    k[i * n + i] += lambda;
                }
                double[] a = Cholesky.solve(k, n, y, classes);
                w = new double[dim * classes];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < dim; j++) {
                        double zij = z[i * dim + j];
                        for (int c = 0; c < classes; c++) {
                            w[j * classes + c] += zij * a[i * classes + c];
                        }
                    }
                }
            } else {
                double[] zt = transpose(z, n, dim);
                double[] g = gram(zt, dim, n, pool);
                for (int j = 0; j < dim; j++) {
                    g[j * dim + j] += lambda;
                }
                double[] zty = new double[dim * classes];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < dim; j++) {
                        for (int c = 0; c < classes; c++) {
                            zty[j * classes + c] += z[i * dim + j] * y[i * classes + c];
                        }
                    }
                }
                w = Cholesky.solve(g, dim, zty, classes);
            }
        } finally {
            pool.shutdownNow();
        }
        // Fold the re-centring into the bias: score = (z - zmean) W + ymean.
        double[] bias = ymean.clone();
        for (int j = 0; j < dim; j++) {
            for (int c = 0; c < classes; c++) {
                bias[c] -= zmean[j] * w[j * classes + c];
            }
        }
        return new RidgeBaseline(mean, inv, w, bias, classes);
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** {@code a a^T} for {@code a} [rows, cols], rows split over the pool. */
    private static double[] gram(double[] a, int rows, int cols, ExecutorService pool) {
        double[] k = new double[rows * rows];
        List<Future<?>> tasks = new ArrayList<>();
        int block = 32;
        for (int r0 = 0; r0 < rows; r0 += block) {
            final int from = r0;
            final int to = Math.min(rows, r0 + block);
            tasks.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s0 = 0;
                        double s1 = 0;
                        double s2 = 0;
                        double s3 = 0;
                        int ai = i * cols;
                        int aj = j * cols;
                        int c = 0;
                        for (; c + 3 < cols; c += 4) {
                            s0 += a[ai + c] * a[aj + c];
                            s1 += a[ai + c + 1] * a[aj + c + 1];
                            s2 += a[ai + c + 2] * a[aj + c + 2];
                            s3 += a[ai + c + 3] * a[aj + c + 3];
                        }
                        for (; c < cols; c++) {
                            s0 += a[ai + c] * a[aj + c];
                        }
                        double s = (s0 + s1) + (s2 + s3);
                        k[i * rows + j] = s;
                        k[j * rows + i] = s;
                    }
                }
            }));
        }
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("gram matrix task failed", e.getCause());
            }
        }
        return k;
    }

    /** The most likely class of every window of {@code data} (same layout and length as the training data). */
    public int[] predict(SignDataset data) {
        double[] s = scores(data);
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (s[i * classes + c] > s[i * classes + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The one-vs-rest scores, {@code [windows, classes]}. */
    double[] scores(SignDataset data) {
        int dim = mean.length;
        if (data.windowSize() != dim) {
            throw new InvalidInputException(
                    "the baseline was fitted on windows of " + dim + " floats, data has " + data.windowSize());
        }
        double[] out = new double[data.size() * classes];
        float[] win = new float[dim];
        for (int i = 0; i < data.size(); i++) {
            data.copyWindow(i, win, 0);
            int o = i * classes;
            System.arraycopy(bias, 0, out, o, classes);
            for (int j = 0; j < dim; j++) {
                double v = (win[j] - mean[j]) * invStd[j];
                if (v != 0) {
                    for (int c = 0; c < classes; c++) {
                        out[o + c] += v * w[j * classes + c];
                    }
                }
            }
        }
        return out;
    }

    /** Cholesky decomposition and solve of a symmetric positive-definite system. */
    static final class Cholesky {
        private Cholesky() {}

        /** Solves {@code a x = b} for {@code b} [n, m]; {@code a} [n, n] is overwritten by its factor. */
        static double[] solve(double[] a, int n, double[] b, int m) {
            for (int j = 0; j < n; j++) {
                double d = a[j * n + j];
                for (int k = 0; k < j; k++) {
                    d -= a[j * n + k] * a[j * n + k];
                }
                if (!(d > 0)) {
                    throw new InvalidInputException("ridge system is not positive definite at row " + j);
                }
                double l = Math.sqrt(d);
                a[j * n + j] = l;
                for (int i = j + 1; i < n; i++) {
                    double s = a[i * n + j];
                    int ai = i * n;
                    int aj = j * n;
                    for (int k = 0; k < j; k++) {
                        s -= a[ai + k] * a[aj + k];
                    }
                    a[i * n + j] = s / l;
                }
            }
            double[] x = b.clone();
            // Forward: L y = b.
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < m; c++) {
                    double s = x[i * m + c];
                    for (int k = 0; k < i; k++) {
                        s -= a[i * n + k] * x[k * m + c];
                    }
                    x[i * m + c] = s / a[i * n + i];
                }
            }
            // Backward: L^T x = y.
            for (int i = n - 1; i >= 0; i--) {
                for (int c = 0; c < m; c++) {
                    double s = x[i * m + c];
                    for (int k = i + 1; k < n; k++) {
                        s -= a[k * n + i] * x[k * m + c];
                    }
                    x[i * m + c] = s / a[i * n + i];
                }
            }
            return x;
        }
    }
}

package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RidgeBaselineTest {

    @Test
    void choleskySolvesASymmetricPositiveDefiniteSystem() {
        int n = 6;
        Random r = new Random(2);
        double[] m = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            m[i] = r.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i * n + j] += m[i * n + k] * m[j * n + k];
                }
            }
            a[i * n + i] += 0.5;
        }
        double[] x = {1, -2, 3, 0.5, -1, 2};
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i] += a[i * n + j] * x[j];
            }
        }
        assertArrayEquals(x, RidgeBaseline.Cholesky.solve(a.clone(), n, b, 1), 1e-9);
    }

    @Test
    void dualFormMatchesAnIndependentReference() {
        // 12 windows, 2 frames x 18 features = 36 columns: fewer windows than features, solved in the dual.
        SignDataset d = Synthetic.dataset(3, 4, 2, 9)
                .convertTo(FeatureLayout.parse("small", "pose:11,12:xyz;right_hand:0,4,8,12:xyz"));
        assertTrue(d.size() < d.windowSize());
        compare(d);
    }

    @Test
    void primalFormMatchesAnIndependentReference() {
        // 30 windows, 1 frame x 12 features: more windows than features, solved in the primal.
        SignDataset d = Synthetic.dataset(3, 10, 1, 9)
                .convertTo(FeatureLayout.parse("tiny", "pose:11,12:xyz;right_hand:0,8:xyz"));
        assertTrue(d.size() > d.windowSize());
        compare(d);
    }

    @Test
    void badInput() {
        SignDataset d = Synthetic.dataset(2, 3, 1, 1);
        assertThrows(InvalidInputException.class, () -> RidgeBaseline.fit(d, 0, 1));
        RidgeBaseline fit = RidgeBaseline.fit(d, 10, 1);
        assertThrows(InvalidInputException.class, () -> fit.predict(Synthetic.dataset(2, 3, 2, 1)));
    }

    private static void compare(SignDataset d) {
        RidgeBaseline fit = RidgeBaseline.fit(d, 10, 2);
        double[] s = fit.scores(d);
        double[] ref = bruteForce(d, 10);
        assertArrayEquals(ref, s, 1e-6);
        int[] p = fit.predict(d);
        assertTrue(accuracy(d, p) > 0.5, "fits its own training data: " + accuracy(d, p));
    }

    private static double accuracy(SignDataset d, int[] p) {
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == d.label(i) ? 1 : 0;
        }
        return (double) ok / p.length;
    }

    /** Ridge by explicit standardisation, centring and Gauss-Jordan inversion - an independent reference. */
    private static double[] bruteForce(SignDataset d, double lambda) {
        int n = d.size();
        int f = d.windowSize();
        int c = d.labels().size();
        float[] x = d.windows();
        double[][] z = new double[n][f];
        for (int j = 0; j < f; j++) {
            double mu = 0;
            for (int i = 0; i < n; i++) {
                mu += x[i * f + j];
            }
            mu /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (x[i * f + j] - mu) * (x[i * f + j] - mu);
            }
            double sd = Math.sqrt(var / n);
            for (int i = 0; i < n; i++) {
                z[i][j] = (x[i * f + j] - mu) / (sd > 1e-8 ? sd : 1);
            }
        }
        double[] ym = new double[c];
        double[][] y = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                y[i][k] = d.label(i) == k ? 1 : -1;
                ym[k] += y[i][k] / n;
            }
        }
        double[][] a = new double[f][2 * f];
        for (int p = 0; p < f; p++) {
            for (int q = 0; q < f; q++) {
                for (int i = 0; i < n; i++) {
                    a[p][q] += z[i][p] * z[i][q];
                }
            }
            a[p][p] += lambda;
            a[p][f + p] = 1;
        }
        for (int p = 0; p < f; p++) {
            double piv = a[p][p];
            for (int q = 0; q < 2 * f; q++) {
                a[p][q] /= piv;
            }
            for (int r = 0; r < f; r++) {
                if (r != p) {
                    double m = a[r][p];
                    for (int q = 0; q < 2 * f; q++) {
                        a[r][q] -= m * a[p][q];
                    }
                }
            }
        }
        double[] out = new double[n * c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                // w = (Z^T Z + lambda)^-1 Z^T (y - ym); score = z w + ym (z is centred, so no re-centring needed)
                double s = ym[k];
                for (int p = 0; p < f; p++) {
                    double wpk = 0;
                    for (int q = 0; q < f; q++) {
                        double zty = 0;
                        for (int m = 0; m < n; m++) {
                            zty += z[m][q] * (y[m][k] - ym[k]);
                        }
                        wpk += a[p][f + q] * zty;
                    }
                    s += z[i][p] * wpk;
                }
                out[i * c + k] = s;
            }
        }
        return out;
    }
}

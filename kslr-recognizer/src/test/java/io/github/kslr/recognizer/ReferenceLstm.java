package io.github.kslr.recognizer;

import java.util.Random;

/**
 * An independent plain-Java forward pass of the reports' LSTM classifier in Keras' conventions (kernel [in, 4H],
 * recurrent kernel [H, 4H], one bias, gates i, f, c, o; dense kernel [in, out]; ReLU hidden dense layers, softmax
 * output), computed in double precision. It shares no code with the ONNX graph writer: the tests hand the same Keras
 * weights to both and compare.
 */
final class ReferenceLstm {
    final int features;
    final int[] lstmUnits;
    final int[] denseUnits; // including the output layer
    final float[][] kernel;
    final float[][] recurrent;
    final float[][] lstmBias;
    final float[][] denseKernel;
    final float[][] denseBias;
    float[] mean;
    float[] std;

    ReferenceLstm(int features, int[] lstmUnits, int[] denseUnits, long seed) {
        this.features = features;
        this.lstmUnits = lstmUnits;
        this.denseUnits = denseUnits;
        Random r = new Random(seed);
        kernel = new float[lstmUnits.length][];
        recurrent = new float[lstmUnits.length][];
        lstmBias = new float[lstmUnits.length][];
        int in = features;
        for (int l = 0; l < lstmUnits.length; l++) {
            int h = lstmUnits[l];
            kernel[l] = random(r, in * 4 * h, 0.6f);
            recurrent[l] = random(r, h * 4 * h, 0.6f);
            lstmBias[l] = random(r, 4 * h, 0.4f);
            in = h;
        }
        denseKernel = new float[denseUnits.length][];
        denseBias = new float[denseUnits.length][];
        for (int d = 0; d < denseUnits.length; d++) {
            denseKernel[d] = random(r, in * denseUnits[d], 0.8f);
            denseBias[d] = random(r, denseUnits[d], 0.3f);
            in = denseUnits[d];
        }
    }

    static float[] random(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    /** Probabilities for one window of {@code steps * features} floats. */
    double[] forward(float[] window, int offset, int steps) {
        double[][] seq = new double[steps][features];
        for (int t = 0; t < steps; t++) {
            for (int f = 0; f < features; f++) {
                double x = window[offset + t * features + f];
                if (mean != null) {
                    x = (x - mean[f]) / (std[f] > 0 ? std[f] : 1);
                }
                seq[t][f] = x;
            }
        }
        int in = features;
        for (int l = 0; l < lstmUnits.length; l++) {
            int h = lstmUnits[l];
            double[] hs = new double[h];
            double[] cs = new double[h];
            double[][] outSeq = new double[steps][];
            for (int t = 0; t < steps; t++) {
                double[] z = new double[4 * h];
                for (int j = 0; j < 4 * h; j++) {
                    double s = lstmBias[l][j];
                    for (int k = 0; k < in; k++) {
                        s += seq[t][k] * kernel[l][k * 4 * h + j];
                    }
                    for (int k = 0; k < h; k++) {
                        s += hs[k] * recurrent[l][k * 4 * h + j];
                    }
                    z[j] = s;
                }
                double[] nh = new double[h];
                for (int j = 0; j < h; j++) {
                    double i = sigmoid(z[j]);
                    double f = sigmoid(z[h + j]);
                    double g = Math.tanh(z[2 * h + j]);
                    double o = sigmoid(z[3 * h + j]);
                    cs[j] = f * cs[j] + i * g;
                    nh[j] = o * Math.tanh(cs[j]);
                }
                hs = nh;
                outSeq[t] = nh;
            }
            seq = outSeq;
            in = h;
        }
        double[] x = seq[steps - 1];
        for (int d = 0; d < denseUnits.length; d++) {
            int n = denseUnits[d];
            double[] y = new double[n];
            for (int j = 0; j < n; j++) {
                double s = denseBias[d][j];
                for (int k = 0; k < x.length; k++) {
                    s += x[k] * denseKernel[d][k * n + j];
                }
                y[j] = d < denseUnits.length - 1 ? Math.max(0, s) : s;
            }
            x = y;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}

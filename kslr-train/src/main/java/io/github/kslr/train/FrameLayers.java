package io.github.kslr.train;

import java.util.Arrays;
import java.util.Random;

/**
 * The layers that the hand-written networks over frames share, forward and backward: a dense layer applied to every
 * frame, ReLU, mean and max pooling over time, dropout. Activations are {@code [frames][width]} row-major; weights
 * live in the network's flat parameter array, input-major ({@code W[i][j]} at {@code w + i * out + j}). Every loop
 * keeps the order of its float operations, so that a network's results do not depend on which helper computes them.
 *
 * <p><b>Thread-safety.</b> Stateless; the methods write only into the arrays they are given.
 */
final class FrameLayers {

    private FrameLayers() {}

    /**
     * {@code out[f] = bias + in[f] x W} for every frame ({@code in} from {@code inOff}, {@code n} values a frame;
     * {@code out} {@code m} a frame); {@code bias < 0}: none. Zero inputs are skipped (landmark windows are sparse).
     */
    static void dense(float[] p, float[] in, int inOff, int n, int w, int bias, int m, float[] out, int frames) {
        for (int f = 0; f < frames; f++) {
            int oo = f * m;
            if (bias < 0) {
                Arrays.fill(out, oo, oo + m, 0f);
            } else {
                System.arraycopy(p, bias, out, oo, m);
            }
            int io = inOff + f * n;
            for (int i = 0; i < n; i++) {
                float x = in[io + i];
                if (x != 0f) {
                    FloatMath.axpy(x, p, w + i * m, out, oo, m);
                }
            }
        }
    }

    /**
     * The backward pass of {@link #dense}'s weights: adds {@code in^T dOut} to the weight gradient at {@code w} and,
     * unless {@code dIn} is null, {@code dOut W^T} to {@code dIn} (added to, not overwritten). The bias gradient is
     * {@link #addBiasGradient}'s.
     */
    static void denseBack(
            float[] p,
            float[] in,
            int inOff,
            int n,
            int w,
            int m,
            float[] dOut,
            float[] dIn,
            float[] grad,
            int frames) {
        for (int f = 0; f < frames; f++) {
            int go = f * m;
            int io = inOff + f * n;
            for (int i = 0; i < n; i++) {
                float x = in[io + i];
                if (x != 0f) {
                    FloatMath.axpy(x, dOut, go, grad, w + i * m, m);
                }
                if (dIn != null) {
                    dIn[f * n + i] += FloatMath.dot(p, w + i * m, dOut, go, m);
                }
            }
        }
    }

    /** Adds every frame's {@code d} (width {@code m}) to the bias gradient at {@code bias}. */
    static void addBiasGradient(float[] d, int m, float[] grad, int bias, int frames) {
        for (int f = 0; f < frames; f++) {
            FloatMath.axpy(1f, d, f * m, grad, bias, m);
        }
    }

    /** {@code out[i] = max(pre[i], 0)} for the first {@code n} values. */
    static void relu(float[] pre, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(pre[i], 0f);
        }
    }

    /** The backward pass of {@link #relu}: zeroes {@code d[i]} where {@code pre[i] <= 0}, in place. */
    static void reluBack(float[] pre, float[] d, int n) {
        for (int i = 0; i < n; i++) {
            if (pre[i] <= 0f) {
                d[i] = 0f;
            }
        }
    }

    /**
     * {@code z = [mean_f x[f] ; max_f x[f]]} over {@code frames} frames of {@code width} values, with each channel's
     * first arg-max frame into {@code argmax}.
     */
    static void meanMaxPool(float[] x, int frames, int width, float[] z, int[] argmax) {
        float invT = 1f / frames;
        for (int j = 0; j < width; j++) {
            float sum = 0f;
            float max = x[j];
            int arg = 0;
            for (int f = 0; f < frames; f++) {
                float v = x[f * width + j];
                sum += v;
                if (v > max) {
                    max = v;
                    arg = f;
                }
            }
            z[j] = sum * invT;
            z[width + j] = max;
            argmax[j] = arg;
        }
    }

    /** The backward pass of {@link #meanMaxPool}: writes (overwrites) {@code dx} from {@code dz}. */
    static void meanMaxPoolBack(float[] dz, int[] argmax, int frames, int width, float[] dx) {
        float invT = 1f / frames;
        for (int f = 0; f < frames; f++) {
            for (int j = 0; j < width; j++) {
                float g = dz[j] * invT;
                if (argmax[j] == f) {
                    g += dz[width + j];
                }
                dx[f * width + j] = g;
            }
        }
    }

    /**
     * Inverted dropout of {@code z} in place at {@code rate} (0: none), its scaled keep mask into {@code mask} (all
     * ones at rate 0) for the backward pass.
     */
    static void dropout(float[] z, float[] mask, float rate, Random rng) {
        if (rate > 0f) {
            float keep = 1f - rate;
            for (int j = 0; j < z.length; j++) {
                mask[j] = rng.nextFloat() < keep ? 1f / keep : 0f;
                z[j] *= mask[j];
            }
        } else {
            Arrays.fill(mask, 1f);
        }
    }
}

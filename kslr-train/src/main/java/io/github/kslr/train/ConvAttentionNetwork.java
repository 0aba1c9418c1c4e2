package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A depthwise temporal convolution block and a self-attention block over the frames, the pattern of the Kaggle
 * ISLR 2023 winners on MediaPipe landmarks, scaled to this project's small windows:
 * <pre>
 *   u_t (D) -> frame layer      h1_t = relu(W1 u_t + b1)                                  (H = hidden1)
 *           -> depthwise conv   c_t  = relu(bd + sum_k Wd[k] * h1_{t+k-P})                (H, kernel K, per channel)
 *                               h2_t = h1_t + Wp c_t + bp                                 (residual)
 *           -> self-attention   a_t  = softmax_s(q_t . k_s / sqrt(A)), q = Wq h2, k = Wk h2   (A = hidden2)
 *                               h3_t = h2_t + Wo sum_s a_ts (Wv h2_s)                      (residual)
 *           -> pooling          z = [mean_t h3_t ; max_t h3_t]                            (2 H)
 *           -> dropout (training only) -> logits W3 z + b3 -> softmax                     (C)
 * </pre>
 * The convolution sees a few neighbouring frames per channel; attention lets every frame look at the whole window,
 * which the {@link TemporalConvNetwork}'s three-frame convolution does not. Weights are stored input-major
 * ({@code W[i][j]} at {@code i * out + j}); every gradient is checked against finite differences in the tests.
 *
 * <p><b>Thread-safety.</b> As {@link SequenceNetwork}: {@link #forward}/{@link #backward} may run on many threads at
 * once, each with its own {@link Workspace} and gradient array, while nobody changes the parameters.
 */
public final class ConvAttentionNetwork implements SequenceNetwork {

    /** Depthwise kernel length (frames); odd, so that the output frame is the centre. */
    static final int KERNEL = 5;

    private static final int PAD = KERNEL / 2;

    private final NetworkShape shape;
    /** The sizes T, D, H, A and C of the class comment (frames, inputs, width, attention width, classes). */
    private final int t;

    private final int d;
    private final int h;
    private final int a;
    private final int c;
    private final float[] params;
    final int oW1;
    final int oB1;
    final int oWd;
    final int oBd;
    final int oWp;
    final int oBp;
    final int oWq;
    final int oWk;
    final int oWv;
    final int oWo;
    final int oW3;
    final int oB3;

    /** A network with initial weights from {@code seed}. */
    public ConvAttentionNetwork(NetworkShape shape, long seed) {
        this(shape, (float[]) null);
        Random r = new Random(seed);
        FloatMath.gaussian(params, r, oW1, d * h, Math.sqrt(2.0 / d));
        FloatMath.gaussian(params, r, oWd, KERNEL * h, Math.sqrt(2.0 / KERNEL));
        // The residual branches start small, so that the blocks begin close to the identity.
        FloatMath.gaussian(params, r, oWp, h * h, 0.5 * Math.sqrt(1.0 / h));
        FloatMath.gaussian(params, r, oWq, h * a, Math.sqrt(1.0 / h));
        FloatMath.gaussian(params, r, oWk, h * a, Math.sqrt(1.0 / h));
        FloatMath.gaussian(params, r, oWv, h * h, Math.sqrt(1.0 / h));
        FloatMath.gaussian(params, r, oWo, h * h, 0.5 * Math.sqrt(1.0 / h));
        FloatMath.gaussian(params, r, oW3, 2 * h * c, Math.sqrt(2.0 / (2 * h + c)));
    }

    /** A network over the given parameters (copied), or zeros when {@code params} is null. */
    public ConvAttentionNetwork(NetworkShape shape, float[] params) {
        this.shape = Checks.notNull(shape, "shape");
        t = shape.frames();
        d = shape.inputSize();
        h = shape.hidden1();
        a = shape.hidden2();
        c = shape.classes();
        oW1 = 0;
        oB1 = oW1 + d * h;
        oWd = oB1 + h;
        oBd = oWd + KERNEL * h;
        oWp = oBd + h;
        oBp = oWp + h * h;
        oWq = oBp + h;
        oWk = oWq + h * a;
        oWv = oWk + h * a;
        oWo = oWv + h * h;
        oW3 = oWo + h * h;
        oB3 = oW3 + 2 * h * c;
        this.params = shape.parameters(oB3 + c, params, "parameters");
    }

    @Override
    public NetworkShape shape() {
        return shape;
    }

    @Override
    public NetworkFamily family() {
        return NetworkFamily.CONV_ATTENTION;
    }

    @Override
    public float[] parameters() {
        return params;
    }

    @Override
    public ConvAttentionNetwork withParameters(float[] p) {
        return new ConvAttentionNetwork(shape, p);
    }

    @Override
    public Workspace newScratch() {
        return new Workspace(shape);
    }

    /** Per-thread scratch space for one window. Not thread-safe; one per thread. */
    public static final class Workspace implements Scratch {
        final float[] a1;
        final float[] h1;
        final float[] ac;
        final float[] c;
        final float[] h2;
        final float[] q;
        final float[] k;
        final float[] v;
        /** Attention weights {@code [t][s]}. */
        final float[] att;

        final float[] o;
        final float[] h3;
        final float[] z;
        final float[] dropMask;
        final int[] argmax;
        final float[] logits;
        final float[] prob;
        final float[] dz;
        final float[] dh3;
        final float[] dO;
        final float[] dAtt;
        final float[] dq;
        final float[] dk;
        final float[] dv;
        final float[] dh2;
        final float[] dc;
        final float[] dh1;

        public Workspace(NetworkShape s) {
            int t = s.frames();
            int h = s.hidden1();
            int a = s.hidden2();
            a1 = new float[t * h];
            h1 = new float[t * h];
            ac = new float[t * h];
            c = new float[t * h];
            h2 = new float[t * h];
            q = new float[t * a];
            k = new float[t * a];
            v = new float[t * h];
            att = new float[t * t];
            o = new float[t * h];
            h3 = new float[t * h];
            z = new float[2 * h];
            dropMask = new float[2 * h];
            argmax = new int[h];
            logits = new float[s.classes()];
            prob = new float[s.classes()];
            dz = new float[2 * h];
            dh3 = new float[t * h];
            dO = new float[t * h];
            dAtt = new float[t];
            dq = new float[t * a];
            dk = new float[t * a];
            dv = new float[t * h];
            dh2 = new float[t * h];
            dc = new float[t * h];
            dh1 = new float[t * h];
        }

        @Override
        public float[] probabilities() {
            return prob;
        }
    }

    @Override
    public void forward(float[] u, int off, Scratch s, float dropout, Random rng) {
        Workspace ws = (Workspace) s;
        float[] p = params;
        // Frame layer.
        FrameLayers.dense(p, u, off, d, oW1, oB1, h, ws.a1, t);
        FrameLayers.relu(ws.a1, ws.h1, t * h);
        // Depthwise convolution over time, then the pointwise layer and the residual.
        for (int f = 0; f < t; f++) {
            int ao = f * h;
            System.arraycopy(p, oBd, ws.ac, ao, h);
            for (int k = 0; k < KERNEL; k++) {
                int src = f + k - PAD;
                if (src >= 0 && src < t) {
                    for (int j = 0; j < h; j++) {
                        ws.ac[ao + j] += p[oWd + k * h + j] * ws.h1[src * h + j];
                    }
                }
            }
        }
        FrameLayers.relu(ws.ac, ws.c, t * h);
        FrameLayers.dense(p, ws.c, 0, h, oWp, oBp, h, ws.h2, t);
        for (int i = 0; i < t * h; i++) {
            ws.h2[i] += ws.h1[i];
        }
        // Self-attention and its residual.
        FrameLayers.dense(p, ws.h2, 0, h, oWq, -1, a, ws.q, t);
        FrameLayers.dense(p, ws.h2, 0, h, oWk, -1, a, ws.k, t);
        FrameLayers.dense(p, ws.h2, 0, h, oWv, -1, h, ws.v, t);
        float scale = (float) (1 / Math.sqrt(a));
        Arrays.fill(ws.o, 0f);
        for (int f = 0; f < t; f++) {
            int ro = f * t;
            float max = Float.NEGATIVE_INFINITY;
            for (int g = 0; g < t; g++) {
                ws.att[ro + g] = FloatMath.dot(ws.q, f * a, ws.k, g * a, a) * scale;
                max = Math.max(max, ws.att[ro + g]);
            }
            double sum = 0;
            for (int g = 0; g < t; g++) {
                ws.att[ro + g] = (float) StrictMath.exp(ws.att[ro + g] - max);
                sum += ws.att[ro + g];
            }
            float inv = (float) (1.0 / sum);
            for (int g = 0; g < t; g++) {
                ws.att[ro + g] *= inv;
                FloatMath.axpy(ws.att[ro + g], ws.v, g * h, ws.o, f * h, h);
            }
        }
        FrameLayers.dense(p, ws.o, 0, h, oWo, -1, h, ws.h3, t);
        for (int i = 0; i < t * h; i++) {
            ws.h3[i] += ws.h2[i];
        }
        FrameLayers.meanMaxPool(ws.h3, t, h, ws.z, ws.argmax);
        FrameLayers.dropout(ws.z, ws.dropMask, dropout, rng);
        FrameLayers.dense(p, ws.z, 0, 2 * h, oW3, oB3, c, ws.logits, 1);
        FloatMath.softmax(ws.logits, ws.prob);
    }

    @Override
    public double loss(Scratch s, int label, float smoothing) {
        return SequenceNetwork.crossEntropy(((Workspace) s).prob, label, smoothing);
    }

    @Override
    public void backward(float[] u, int off, Scratch s, int label, float smoothing, float[] grad) {
        Workspace ws = (Workspace) s;
        float[] p = params;
        float[] dlog = ws.logits; // reused: the logits are not needed any more
        for (int k = 0; k < c; k++) {
            dlog[k] = ws.prob[k] - ((k == label ? 1 - smoothing : 0) + smoothing / c);
        }
        FrameLayers.addBiasGradient(dlog, c, grad, oB3, 1);
        Arrays.fill(ws.dz, 0f);
        FrameLayers.denseBack(p, ws.z, 0, 2 * h, oW3, c, dlog, ws.dz, grad, 1);
        for (int j = 0; j < 2 * h; j++) {
            ws.dz[j] *= ws.dropMask[j];
        }
        FrameLayers.meanMaxPoolBack(ws.dz, ws.argmax, t, h, ws.dh3);
        // Through the attention block: h3 = h2 + o Wo.
        System.arraycopy(ws.dh3, 0, ws.dh2, 0, t * h);
        Arrays.fill(ws.dO, 0f);
        FrameLayers.denseBack(p, ws.o, 0, h, oWo, h, ws.dh3, ws.dO, grad, t);
        // o_f = sum_g att_fg v_g; att_f = softmax(scores_f).
        float scale = (float) (1 / Math.sqrt(a));
        Arrays.fill(ws.dq, 0f);
        Arrays.fill(ws.dk, 0f);
        Arrays.fill(ws.dv, 0f);
        for (int f = 0; f < t; f++) {
            int ro = f * t;
            float weighted = 0f;
            for (int g = 0; g < t; g++) {
                ws.dAtt[g] = FloatMath.dot(ws.dO, f * h, ws.v, g * h, h);
                weighted += ws.att[ro + g] * ws.dAtt[g];
                FloatMath.axpy(ws.att[ro + g], ws.dO, f * h, ws.dv, g * h, h);
            }
            for (int g = 0; g < t; g++) {
                float dScore = ws.att[ro + g] * (ws.dAtt[g] - weighted) * scale;
                FloatMath.axpy(dScore, ws.k, g * a, ws.dq, f * a, a);
                FloatMath.axpy(dScore, ws.q, f * a, ws.dk, g * a, a);
            }
        }
        FrameLayers.denseBack(p, ws.h2, 0, h, oWq, a, ws.dq, ws.dh2, grad, t);
        FrameLayers.denseBack(p, ws.h2, 0, h, oWk, a, ws.dk, ws.dh2, grad, t);
        FrameLayers.denseBack(p, ws.h2, 0, h, oWv, h, ws.dv, ws.dh2, grad, t);
        // Through the convolution block: h2 = h1 + c Wp + bp, c = relu(depthwise(h1)).
        System.arraycopy(ws.dh2, 0, ws.dh1, 0, t * h);
        Arrays.fill(ws.dc, 0f);
        FrameLayers.addBiasGradient(ws.dh2, h, grad, oBp, t);
        FrameLayers.denseBack(p, ws.c, 0, h, oWp, h, ws.dh2, ws.dc, grad, t);
        FrameLayers.reluBack(ws.ac, ws.dc, t * h);
        FrameLayers.addBiasGradient(ws.dc, h, grad, oBd, t);
        for (int f = 0; f < t; f++) {
            int ao = f * h;
            for (int k = 0; k < KERNEL; k++) {
                int src = f + k - PAD;
                if (src >= 0 && src < t) {
                    for (int j = 0; j < h; j++) {
                        float g = ws.dc[ao + j];
                        grad[oWd + k * h + j] += g * ws.h1[src * h + j];
                        ws.dh1[src * h + j] += g * p[oWd + k * h + j];
                    }
                }
            }
        }
        // Through the first ReLU and the frame layer.
        FrameLayers.reluBack(ws.a1, ws.dh1, t * h);
        FrameLayers.addBiasGradient(ws.dh1, h, grad, oB1, t);
        FrameLayers.denseBack(p, u, off, d, oW1, h, ws.dh1, null, grad, t);
    }

    /** The graph of {@link #forward}: MatMul layers, a grouped (depthwise) Conv, MatMul attention, pooling. */
    @Override
    public String writeLogits(OnnxGraphWriter g, String features, WeightPrecision precision, String scope) {
        String h1 = g.node(
                "Relu",
                List.of(g.node(
                        "Add",
                        List.of(
                                g.node("MatMul", List.of(features, matrix(g, scope + "w1", oW1, d, h, precision))),
                                vector(g, scope + "b1", oB1, h)))));
        // Depthwise convolution on [B, H, T]: our Wd[k][j] becomes ONNX's [out j][1][k], one group a channel.
        float[] dw = new float[h * KERNEL];
        for (int k = 0; k < KERNEL; k++) {
            for (int j = 0; j < h; j++) {
                dw[j * KERNEL + k] = params[oWd + k * h + j];
            }
        }
        String conv = g.node(
                "Conv",
                List.of(
                        g.node("Transpose", List.of(h1), OnnxGraphWriter.intsAttr("perm", 0, 2, 1)),
                        g.weight(scope + "wd", dw, new long[] {h, 1, KERNEL}, 0, precision),
                        vector(g, scope + "bd", oBd, h)),
                OnnxGraphWriter.intsAttr("kernel_shape", KERNEL),
                OnnxGraphWriter.intsAttr("pads", PAD, PAD),
                OnnxGraphWriter.intAttr("group", h));
        String cT =
                g.node("Transpose", List.of(g.node("Relu", List.of(conv))), OnnxGraphWriter.intsAttr("perm", 0, 2, 1));
        String pointwise = g.node(
                "Add",
                List.of(
                        g.node("MatMul", List.of(cT, matrix(g, scope + "wp", oWp, h, h, precision))),
                        vector(g, scope + "bp", oBp, h)));
        String h2 = g.node("Add", List.of(h1, pointwise));
        String q = g.node("MatMul", List.of(h2, matrix(g, scope + "wq", oWq, h, a, precision)));
        String k = g.node("MatMul", List.of(h2, matrix(g, scope + "wk", oWk, h, a, precision)));
        String v = g.node("MatMul", List.of(h2, matrix(g, scope + "wv", oWv, h, h, precision)));
        String scores = g.node(
                "Mul",
                List.of(
                        g.node(
                                "MatMul",
                                List.of(q, g.node("Transpose", List.of(k), OnnxGraphWriter.intsAttr("perm", 0, 2, 1)))),
                        g.floatScalar(scope + "attention_scale", (float) (1 / Math.sqrt(a)))));
        String att = g.node("Softmax", List.of(scores), OnnxGraphWriter.intAttr("axis", 2));
        String o = g.node("MatMul", List.of(att, v));
        String h3 =
                g.node("Add", List.of(h2, g.node("MatMul", List.of(o, matrix(g, scope + "wo", oWo, h, h, precision)))));
        String mean = g.node(
                "ReduceMean", List.of(h3), OnnxGraphWriter.intsAttr("axes", 1), OnnxGraphWriter.intAttr("keepdims", 0));
        String max = g.node(
                "ReduceMax", List.of(h3), OnnxGraphWriter.intsAttr("axes", 1), OnnxGraphWriter.intAttr("keepdims", 0));
        String z = g.node("Concat", List.of(mean, max), OnnxGraphWriter.intAttr("axis", 1));
        return g.node(
                "Add",
                List.of(
                        g.node("MatMul", List.of(z, matrix(g, scope + "w3", oW3, 2 * h, c, precision))),
                        vector(g, scope + "b3", oB3, c)));
    }

    /** An input-major weight matrix {@code [rows, cols]} (one int8 scale a column). */
    private String matrix(OnnxGraphWriter g, String name, int offset, int rows, int cols, WeightPrecision precision) {
        return g.weight(
                name, Arrays.copyOfRange(params, offset, offset + rows * cols), new long[] {rows, cols}, 1, precision);
    }

    private String vector(OnnxGraphWriter g, String name, int offset, int n) {
        return g.initializer(name, Arrays.copyOfRange(params, offset, offset + n), n);
    }
}

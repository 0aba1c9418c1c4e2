package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The trainable network: a small temporal convolution network over normalised, standardised frame features.
 * <pre>
 *   u_t (D)  -> frame layer   h1_t = relu(W1 u_t + b1)                       (H1)
 *            -> temporal conv h2_t = relu(b2 + sum_k W2[k] h1_{t+k-1})       (H2, kernel 3, zero padding)
 *            -> pooling       z = [mean_t h2_t ; max_t h2_t]                   (2 H2)
 *            -> dropout (training only) -> logits W3 z + b3 -> softmax        (C)
 * </pre>
 * Pooling over time makes the prediction depend little on exactly when and how fast a sign happens (the tempo
 * perturbations); the whole window is seen at once, unlike an LSTM's last state.
 *
 * <p>Parameters live in one flat float array ({@link #parameters()}), weights stored input-major
 * ({@code W[i][j]} at {@code i * out + j}) so the inner loops run over contiguous outputs. Gradients are written by
 * {@link #backward} into a caller-owned array of the same size; every gradient is checked against finite differences
 * in the tests.
 *
 * <p><b>Thread-safety.</b> The parameter array is shared and read by {@link #forward}/{@link #backward}, which are
 * safe to call from many threads at once as long as each thread uses its own {@link Workspace} and gradient array
 * and nobody updates the parameters meanwhile (the trainer updates them between batches).
 */
public final class TemporalConvNetwork implements SequenceNetwork {

    static final int KERNEL = 3;

    private final NetworkShape shape;
    private final float[] params;
    final int oW1;
    final int oB1;
    final int oW2;
    final int oB2;
    final int oW3;
    final int oB3;
    /** Logits are COSINE_SCALE x cos(pooled features, class weights), without bias (a normalised head). */
    private final boolean cosine;
    /**
     * Cosine head in training only: the true class's logit is COSINE_SCALE x (cos - margin) in {@link #loss} and
     * {@link #backward} (CosFace), which pushes a window's cosine to its own class that far above the others; the
     * probabilities of {@link #forward} never use it.
     */
    private final float margin;

    /** Scale of a cosine head's logits: cosines in [-1, 1] need it to reach confident probabilities. */
    static final float COSINE_SCALE = 16f;
    /** Added to squared norms so that an all-zero vector normalises to zero instead of NaN. */
    static final float NORM_EPS2 = 1e-12f;

    /** A network with He/Glorot-initialised weights from {@code seed}. */
    public TemporalConvNetwork(NetworkShape shape, long seed) {
        this(shape, seed, false);
    }

    /**
     * A network with initial weights from {@code seed}; with {@code cosine}, a normalised head whose pooled features,
     * L2-normalised, are an embedding in which windows of one sign lie close together ({@link #embed}).
     */
    public TemporalConvNetwork(NetworkShape shape, long seed, boolean cosine) {
        this(shape, (float[]) null, cosine);
        Random r = new Random(seed);
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        FloatMath.gaussian(params, r, oW1, d * h1, Math.sqrt(2.0 / d));
        FloatMath.gaussian(params, r, oW2, KERNEL * h1 * shape.hidden2(), Math.sqrt(2.0 / (KERNEL * h1)));
        FloatMath.gaussian(
                params,
                r,
                oW3,
                2 * shape.hidden2() * shape.classes(),
                Math.sqrt(2.0 / (2 * shape.hidden2() + shape.classes())));
    }

    /** A network over the given parameters (copied), or zeros when {@code params} is null. */
    public TemporalConvNetwork(NetworkShape shape, float[] params) {
        this(shape, params, false);
    }

    /** A network, with a cosine head or not, over the given parameters (copied), or zeros when null. */
    public TemporalConvNetwork(NetworkShape shape, float[] params, boolean cosine) {
        this(shape, params, cosine, 0f);
    }

    private TemporalConvNetwork(NetworkShape shape, float[] params, boolean cosine, float margin) {
        this.shape = Checks.notNull(shape, "shape");
        this.cosine = cosine;
        this.margin = margin;
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        oW1 = 0;
        oB1 = oW1 + d * h1;
        oW2 = oB1 + h1;
        oB2 = oW2 + KERNEL * h1 * h2;
        oW3 = oB2 + h2;
        oB3 = oW3 + 2 * h2 * c;
        this.params = shape.parameters(oB3 + c, params, "parameters");
    }

    @Override
    public NetworkShape shape() {
        return shape;
    }

    @Override
    public NetworkFamily family() {
        return cosine ? NetworkFamily.COSINE_TCN : NetworkFamily.TCN;
    }

    /** Size of {@link #embed}'s output: the pooled features (mean and max over time). */
    public int embeddingSize() {
        return 2 * shape.hidden2();
    }

    /**
     * The L2-normalised pooled features of one window (after {@link #forward} with dropout 0 filled {@code ws}) into
     * {@code out[0 .. embeddingSize())}.
     */
    public void embed(Workspace ws, float[] out) {
        normalise(ws.z, out);
    }

    /** {@code out = v / sqrt(|v|^2 + NORM_EPS2)}; returns that norm. */
    static float normalise(float[] v, float[] out) {
        float n2 = NORM_EPS2;
        for (float x : v) {
            n2 += x * x;
        }
        float n = (float) Math.sqrt(n2);
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / n;
        }
        return n;
    }

    /** MatMul + ReLU, a 1-D Conv + ReLU over time, mean and max pooling, MatMul (or the cosine head). */
    @Override
    public String writeLogits(OnnxGraphWriter g, String features, WeightPrecision precision, String scope) {
        int c = shape.classes();
        int h2 = shape.hidden2();
        String z = writePooled(g, features, precision, scope);
        if (cosine) {
            float[] wHat = new float[2 * h2 * c];
            normalisedClassWeights(wHat, new float[c]);
            String w3 = g.weight(scope + "w3", wHat, new long[] {2 * h2, c}, 1, precision);
            return g.node(
                    "Mul",
                    List.of(
                            g.node("MatMul", List.of(writeNormalised(g, z, scope), w3)),
                            g.floatScalar(scope + "cosine_scale", COSINE_SCALE)));
        }
        String w3 = g.weight(
                scope + "w3", Arrays.copyOfRange(params, oW3, oW3 + 2 * h2 * c), new long[] {2 * h2, c}, 1, precision);
        return g.node(
                "Add",
                List.of(
                        g.node("MatMul", List.of(z, w3)),
                        g.initializer(scope + "b3", Arrays.copyOfRange(params, oB3, oB3 + c), c)));
    }

    /** The L2-normalised pooled features {@code [batch, embeddingSize()]}, as {@link #embed} computes them. */
    public String writeEmbedding(OnnxGraphWriter g, String features, WeightPrecision precision, String scope) {
        return writeNormalised(g, writePooled(g, features, precision, scope), scope);
    }

    /** {@code v / sqrt(sum(v^2) + NORM_EPS2)} over axis 1 of {@code [batch, n]}. */
    static String writeNormalised(OnnxGraphWriter g, String v, String scope) {
        String sq = g.node(
                "ReduceSum",
                List.of(g.node("Mul", List.of(v, v)), g.int64Vector(scope + "norm_axes", 1)),
                OnnxGraphWriter.intAttr("keepdims", 1));
        String norm =
                g.node("Sqrt", List.of(g.node("Add", List.of(sq, g.floatScalar(scope + "norm_eps2", NORM_EPS2)))));
        return g.node("Div", List.of(v, norm));
    }

    /** Frame layer, temporal convolution, mean and max pooling: {@code [batch, 2 * hidden2]}. */
    private String writePooled(OnnxGraphWriter g, String features, WeightPrecision precision, String scope) {
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        float[] p = params;
        // Frame layer: [B, T, D] x [D, H1].
        String w1 = g.weight(scope + "w1", Arrays.copyOfRange(p, oW1, oW1 + d * h1), new long[] {d, h1}, 1, precision);
        String a1 = g.node(
                "Add",
                List.of(
                        g.node("MatMul", List.of(features, w1)),
                        g.initializer(scope + "b1", Arrays.copyOfRange(p, oB1, oB1 + h1), h1)));
        String r1 = g.node("Relu", List.of(a1));
        // Temporal convolution on [B, H1, T]; our W2[k][i][j] becomes ONNX's [out j][in i][k].
        String tr = g.node("Transpose", List.of(r1), OnnxGraphWriter.intsAttr("perm", 0, 2, 1));
        float[] conv = new float[h2 * h1 * KERNEL];
        for (int k = 0; k < KERNEL; k++) {
            for (int i = 0; i < h1; i++) {
                for (int j = 0; j < h2; j++) {
                    conv[(j * h1 + i) * KERNEL + k] = p[oW2 + (k * h1 + i) * h2 + j];
                }
            }
        }
        String w2 = g.weight(scope + "w2", conv, new long[] {h2, h1, KERNEL}, 0, precision);
        String a2 = g.node(
                "Conv",
                List.of(tr, w2, g.initializer(scope + "b2", Arrays.copyOfRange(p, oB2, oB2 + h2), h2)),
                OnnxGraphWriter.intsAttr("kernel_shape", KERNEL),
                OnnxGraphWriter.intsAttr("pads", 1, 1));
        String r2 = g.node("Relu", List.of(a2));
        String mean = g.node(
                "ReduceMean", List.of(r2), OnnxGraphWriter.intsAttr("axes", 2), OnnxGraphWriter.intAttr("keepdims", 0));
        String max = g.node(
                "ReduceMax", List.of(r2), OnnxGraphWriter.intsAttr("axes", 2), OnnxGraphWriter.intAttr("keepdims", 0));
        String z = g.node("Concat", List.of(mean, max), OnnxGraphWriter.intAttr("axis", 1));
        return z;
    }

    @Override
    public float[] parameters() {
        return params;
    }

    @Override
    public TemporalConvNetwork withParameters(float[] p) {
        return new TemporalConvNetwork(shape, p, cosine, margin);
    }

    /**
     * This cosine-head network (same parameters) trained with an additive cosine margin in [0, 1) (CosFace; see
     * {@link TrainingConfig#cosineMargin()}).
     *
     * @throws InvalidInputException for a network without a cosine head or a margin outside [0, 1)
     */
    public TemporalConvNetwork withCosineMargin(double m) {
        if (!cosine) {
            throw new InvalidInputException("a cosine margin needs a cosine head; this is a " + description());
        }
        if (!(m >= 0 && m < 1)) {
            throw new InvalidInputException("cosine margin must be in [0, 1), was " + m);
        }
        return new TemporalConvNetwork(shape, params, true, (float) m);
    }

    /** The training-only cosine margin (0: none). */
    public float cosineMargin() {
        return margin;
    }

    @Override
    public Workspace newScratch() {
        return new Workspace(shape);
    }

    @Override
    public void forward(float[] u, int off, Scratch s, float dropout, Random rng) {
        forward(u, off, (Workspace) s, dropout, rng);
    }

    @Override
    public double loss(Scratch s, int label, float smoothing) {
        return loss((Workspace) s, label, smoothing);
    }

    @Override
    public void backward(float[] u, int off, Scratch s, int label, float smoothing, float[] grad) {
        backward(u, off, (Workspace) s, label, smoothing, grad);
    }

    /** Per-thread scratch space for one window. Not thread-safe; one per thread. */
    public static final class Workspace implements Scratch {
        final float[] a1;
        final float[] h1;
        final float[] a2;
        final float[] h2;
        final float[] z;
        final float[] dropMask;
        final int[] argmax;
        final float[] logits;
        final float[] prob;
        final float[] dz;
        final float[] dh2;
        final float[] dh1;
        /** Cosine head: normalised features, their norm, normalised class weights (input-major), cosines. */
        final float[] zHat;

        final float[] zNorm = new float[1];
        final float[] wHat;
        final float[] wNorm;
        final float[] cos;
        final float[] dzHat;
        /** Cosine head with a margin: the training probabilities (true class's logit lowered by the margin). */
        final float[] marginProb;

        public Workspace(NetworkShape s) {
            int t = s.frames();
            a1 = new float[t * s.hidden1()];
            h1 = new float[t * s.hidden1()];
            a2 = new float[t * s.hidden2()];
            h2 = new float[t * s.hidden2()];
            z = new float[2 * s.hidden2()];
            dropMask = new float[2 * s.hidden2()];
            argmax = new int[s.hidden2()];
            logits = new float[s.classes()];
            prob = new float[s.classes()];
            dz = new float[2 * s.hidden2()];
            dh2 = new float[t * s.hidden2()];
            dh1 = new float[t * s.hidden1()];
            zHat = new float[2 * s.hidden2()];
            wHat = new float[2 * s.hidden2() * s.classes()];
            wNorm = new float[s.classes()];
            cos = new float[s.classes()];
            dzHat = new float[2 * s.hidden2()];
            marginProb = new float[s.classes()];
        }

        @Override
        public float[] probabilities() {
            return prob;
        }
    }

    /**
     * Forward pass of one window {@code u[off .. off + frames * inputSize)}; probabilities land in
     * {@code ws.probabilities()}.
     *
     * @param dropout dropout rate on the pooled features, 0 for inference
     * @param rng source of the dropout mask (null when dropout is 0)
     */
    public void forward(float[] u, int off, Workspace ws, float dropout, Random rng) {
        int t = shape.frames();
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        float[] p = params;
        // Frame layer.
        FrameLayers.dense(p, u, off, d, oW1, oB1, h1, ws.a1, t);
        FrameLayers.relu(ws.a1, ws.h1, t * h1);
        // Temporal convolution.
        for (int f = 0; f < t; f++) {
            int ao = f * h2;
            System.arraycopy(p, oB2, ws.a2, ao, h2);
            for (int k = 0; k < KERNEL; k++) {
                int src = f + k - 1;
                if (src < 0 || src >= t) {
                    continue;
                }
                int ho = src * h1;
                int wo = oW2 + k * h1 * h2;
                for (int i = 0; i < h1; i++) {
                    float v = ws.h1[ho + i];
                    if (v != 0f) {
                        FloatMath.axpy(v, p, wo + i * h2, ws.a2, ao, h2);
                    }
                }
            }
        }
        FrameLayers.relu(ws.a2, ws.h2, t * h2);
        FrameLayers.meanMaxPool(ws.h2, t, h2, ws.z, ws.argmax);
        FrameLayers.dropout(ws.z, ws.dropMask, dropout, rng);
        // Output layer and softmax.
        if (cosine) {
            cosineLogits(ws);
        } else {
            FrameLayers.dense(p, ws.z, 0, 2 * h2, oW3, oB3, c, ws.logits, 1);
        }
        FloatMath.softmax(ws.logits, ws.prob);
    }

    /** logits[c] = COSINE_SCALE * (z / |z|) . (W3[:, c] / |W3[:, c]|). */
    private void cosineLogits(Workspace ws) {
        int c = shape.classes();
        int z = 2 * shape.hidden2();
        normalisedClassWeights(ws.wHat, ws.wNorm);
        ws.zNorm[0] = normalise(ws.z, ws.zHat);
        java.util.Arrays.fill(ws.cos, 0f);
        for (int j = 0; j < z; j++) {
            float v = ws.zHat[j];
            if (v != 0f) {
                FloatMath.axpy(v, ws.wHat, j * c, ws.cos, 0, c);
            }
        }
        for (int k = 0; k < c; k++) {
            ws.logits[k] = COSINE_SCALE * ws.cos[k];
        }
    }

    /** W3's columns (one a class) divided by their norms, input-major as W3; the norms into {@code norm}. */
    private void normalisedClassWeights(float[] wHat, float[] norm) {
        int c = shape.classes();
        int z = 2 * shape.hidden2();
        java.util.Arrays.fill(norm, NORM_EPS2);
        for (int j = 0; j < z; j++) {
            for (int k = 0; k < c; k++) {
                float w = params[oW3 + j * c + k];
                norm[k] += w * w;
            }
        }
        for (int k = 0; k < c; k++) {
            norm[k] = (float) Math.sqrt(norm[k]);
        }
        for (int j = 0; j < z; j++) {
            for (int k = 0; k < c; k++) {
                wHat[j * c + k] = params[oW3 + j * c + k] / norm[k];
            }
        }
    }

    /**
     * Cross-entropy loss of the last forward pass against {@code label} with label smoothing {@code smoothing}.
     */
    public double loss(Workspace ws, int label, float smoothing) {
        return SequenceNetwork.crossEntropy(trainingProbabilities(ws, label), label, smoothing);
    }

    /**
     * The probabilities the loss is taken of: {@link #forward}'s, or with a cosine margin the softmax of the cosine
     * logits with the true class's lowered by {@code COSINE_SCALE * margin} (from {@code ws.cos}, which
     * {@link #backward} leaves intact).
     */
    private float[] trainingProbabilities(Workspace ws, int label) {
        if (margin == 0f) {
            return ws.prob;
        }
        int c = shape.classes();
        for (int k = 0; k < c; k++) {
            ws.marginProb[k] = COSINE_SCALE * (ws.cos[k] - (k == label ? margin : 0f));
        }
        FloatMath.softmax(ws.marginProb, ws.marginProb);
        return ws.marginProb;
    }

    /**
     * Adds the gradient of {@link #loss} (after the {@link #forward} that filled {@code ws}, same input) to
     * {@code grad}.
     */
    public void backward(float[] u, int off, Workspace ws, int label, float smoothing, float[] grad) {
        int t = shape.frames();
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        float[] p = params;
        // dL/dlogits = p - q (the margin shifts a logit by a constant, so d logit / d cos stays COSINE_SCALE).
        float[] prob = trainingProbabilities(ws, label);
        float[] dlog = ws.logits; // reused: the logits are not needed any more
        for (int k = 0; k < c; k++) {
            dlog[k] = prob[k] - ((k == label ? 1 - smoothing : 0) + smoothing / c);
        }
        if (cosine) {
            cosineBackward(ws, dlog, grad);
        } else {
            FrameLayers.addBiasGradient(dlog, c, grad, oB3, 1);
            java.util.Arrays.fill(ws.dz, 0f);
            FrameLayers.denseBack(p, ws.z, 0, 2 * h2, oW3, c, dlog, ws.dz, grad, 1);
            for (int j = 0; j < 2 * h2; j++) {
                ws.dz[j] *= ws.dropMask[j];
            }
        }
        // Through the pooling and the second ReLU.
        FrameLayers.meanMaxPoolBack(ws.dz, ws.argmax, t, h2, ws.dh2);
        FrameLayers.reluBack(ws.a2, ws.dh2, t * h2);
        // Through the temporal convolution.
        java.util.Arrays.fill(ws.dh1, 0f);
        for (int f = 0; f < t; f++) {
            int go = f * h2;
            FloatMath.axpy(1f, ws.dh2, go, grad, oB2, h2);
            for (int k = 0; k < KERNEL; k++) {
                int src = f + k - 1;
                if (src < 0 || src >= t) {
                    continue;
                }
                int ho = src * h1;
                int wo = oW2 + k * h1 * h2;
                for (int i = 0; i < h1; i++) {
                    float v = ws.h1[ho + i];
                    if (v != 0f) {
                        FloatMath.axpy(v, ws.dh2, go, grad, wo + i * h2, h2);
                    }
                    ws.dh1[ho + i] += FloatMath.dot(p, wo + i * h2, ws.dh2, go, h2);
                }
            }
        }
        // Through the first ReLU and the frame layer.
        FrameLayers.reluBack(ws.a1, ws.dh1, t * h1);
        FrameLayers.addBiasGradient(ws.dh1, h1, grad, oB1, t);
        FrameLayers.denseBack(p, u, off, d, oW1, h1, ws.dh1, null, grad, t);
    }

    /**
     * The cosine head's gradient: with a_k = s * dlog_k, dL/dzHat = sum_k a_k wHat_k and dL/dwHat_k = a_k zHat; a
     * normalisation y = v / |v| passes dL/dv = (dL/dy - y (y . dL/dy)) / |v| back. The unused bias gets none.
     */
    private void cosineBackward(Workspace ws, float[] dlog, float[] grad) {
        int c = shape.classes();
        int z = 2 * shape.hidden2();
        for (int k = 0; k < c; k++) {
            dlog[k] *= COSINE_SCALE;
        }
        for (int j = 0; j < z; j++) {
            ws.dzHat[j] = FloatMath.dot(ws.wHat, j * c, dlog, 0, c);
        }
        // dL/dW[j][k] = (a_k zHat_j - wHat[j][k] (a_k cos_k)) / |W_k|  (wHat_k . dL/dwHat_k = a_k cos_k).
        for (int j = 0; j < z; j++) {
            float zj = ws.zHat[j];
            for (int k = 0; k < c; k++) {
                grad[oW3 + j * c + k] += (dlog[k] * zj - ws.wHat[j * c + k] * dlog[k] * ws.cos[k]) / ws.wNorm[k];
            }
        }
        float dot = 0f;
        for (int j = 0; j < z; j++) {
            dot += ws.zHat[j] * ws.dzHat[j];
        }
        for (int j = 0; j < z; j++) {
            ws.dz[j] = (ws.dzHat[j] - ws.zHat[j] * dot) / ws.zNorm[0] * ws.dropMask[j];
        }
    }
}

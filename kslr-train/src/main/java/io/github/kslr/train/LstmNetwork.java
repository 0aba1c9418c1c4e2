package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The reports' model family (first report, figure 3.5): {@code LSTM(hidden1) -> LSTM(hidden2) -> Dense(hidden1,
 * relu) -> Dense(classes) -> softmax}, the last LSTM's final state feeding the dense layers. Standard LSTM cells
 * (sigmoid gates, tanh cell), trained by back-propagation through time; exported as ONNX {@code LSTM} operators.
 * Kept to compare with {@link TemporalConvNetwork} on the same data (see kslr-train's README notes in the report).
 *
 * <p>Parameter layout (input-major weights, gate blocks i, f, g, o of width H):
 * {@code Wx1 [D][4H1], Wh1 [H1][4H1], b1 [4H1], Wx2 [H1][4H2], Wh2 [H2][4H2], b2 [4H2], W3 [H2][H1], b3 [H1],
 * W4 [H1][C], b4 [C]}.
 *
 * <p><b>Thread-safety.</b> As {@link SequenceNetwork}.
 */
public final class LstmNetwork implements SequenceNetwork {

    private final NetworkShape shape;
    private final float[] params;
    final int oWx1;
    final int oWh1;
    final int oB1;
    final int oWx2;
    final int oWh2;
    final int oB2;
    final int oW3;
    final int oB3;
    final int oW4;
    final int oB4;

    /** A network with Glorot-initialised weights from {@code seed}, forget-gate biases 1. */
    public LstmNetwork(NetworkShape shape, long seed) {
        this(shape, (float[]) null);
        Random r = new Random(seed);
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        FloatMath.gaussian(params, r, oWx1, d * 4 * h1, Math.sqrt(2.0 / (d + 4 * h1)));
        FloatMath.gaussian(params, r, oWh1, h1 * 4 * h1, Math.sqrt(2.0 / (5 * h1)));
        FloatMath.gaussian(params, r, oWx2, h1 * 4 * h2, Math.sqrt(2.0 / (h1 + 4 * h2)));
        FloatMath.gaussian(params, r, oWh2, h2 * 4 * h2, Math.sqrt(2.0 / (5 * h2)));
        FloatMath.gaussian(params, r, oW3, h2 * h1, Math.sqrt(2.0 / h2));
        FloatMath.gaussian(params, r, oW4, h1 * c, Math.sqrt(2.0 / (h1 + c)));
        Arrays.fill(params, oB1 + h1, oB1 + 2 * h1, 1f);
        Arrays.fill(params, oB2 + h2, oB2 + 2 * h2, 1f);
    }

    /** A network over the given parameters (copied), or zeros when {@code params} is null. */
    public LstmNetwork(NetworkShape shape, float[] params) {
        this.shape = Checks.notNull(shape, "shape");
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        oWx1 = 0;
        oWh1 = oWx1 + d * 4 * h1;
        oB1 = oWh1 + h1 * 4 * h1;
        oWx2 = oB1 + 4 * h1;
        oWh2 = oWx2 + h1 * 4 * h2;
        oB2 = oWh2 + h2 * 4 * h2;
        oW3 = oB2 + 4 * h2;
        oB3 = oW3 + h2 * h1;
        oW4 = oB3 + h1;
        oB4 = oW4 + h1 * c;
        this.params = shape.parameters(oB4 + c, params, "LSTM parameters");
    }

    @Override
    public NetworkShape shape() {
        return shape;
    }

    @Override
    public NetworkFamily family() {
        return NetworkFamily.LSTM;
    }

    /**
     * ONNX LSTM operators (time-major, gates i, o, f, c), the second LSTM's last hidden state, two dense layers.
     */
    @Override
    public String writeLogits(OnnxGraphWriter g, String features, WeightPrecision precision, String scope) {
        int d = shape.inputSize();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        float[] p = params;
        String x = g.node("Transpose", List.of(features), OnnxGraphWriter.intsAttr("perm", 1, 0, 2));
        String y1 = onnxLstm(g, scope + "lstm1", x, oWx1, oWh1, oB1, d, h1, precision, true);
        String y1s = g.node("Squeeze", List.of(y1, g.int64Vector(scope + "squeeze_dir", 1)));
        String yh2 = onnxLstm(g, scope + "lstm2", y1s, oWx2, oWh2, oB2, h1, h2, precision, false);
        String last = g.node("Squeeze", List.of(yh2, g.int64Vector(scope + "squeeze_first", 0)));
        String w3 =
                g.weight(scope + "w3", Arrays.copyOfRange(p, oW3, oW3 + h2 * h1), new long[] {h2, h1}, 1, precision);
        String r3 = g.node(
                "Relu",
                List.of(g.node(
                        "Add",
                        List.of(
                                g.node("MatMul", List.of(last, w3)),
                                g.initializer(scope + "b3", Arrays.copyOfRange(p, oB3, oB3 + h1), h1)))));
        String w4 = g.weight(scope + "w4", Arrays.copyOfRange(p, oW4, oW4 + h1 * c), new long[] {h1, c}, 1, precision);
        return g.node(
                "Add",
                List.of(
                        g.node("MatMul", List.of(r3, w4)),
                        g.initializer(scope + "b4", Arrays.copyOfRange(p, oB4, oB4 + c), c)));
    }

    /** One LSTM operator; returns Y [T, 1, B, H] when {@code sequence}, else Y_h [1, B, H]. */
    private String onnxLstm(
            OnnxGraphWriter g,
            String name,
            String x,
            int oWx,
            int oWh,
            int oB,
            int din,
            int h,
            WeightPrecision precision,
            boolean sequence) {
        // Our gate blocks are i, f, g, o; ONNX wants i, o, f, c.
        int[] fromBlock = {0, 3, 1, 2};
        float[] w = new float[4 * h * din];
        float[] r = new float[4 * h * h];
        float[] b = new float[8 * h];
        for (int gb = 0; gb < 4; gb++) {
            int mine = fromBlock[gb];
            for (int j = 0; j < h; j++) {
                int row = gb * h + j;
                int col = mine * h + j;
                for (int k = 0; k < din; k++) {
                    w[row * din + k] = params[oWx + k * 4 * h + col];
                }
                for (int k = 0; k < h; k++) {
                    r[row * h + k] = params[oWh + k * 4 * h + col];
                }
                b[row] = params[oB + col];
            }
        }
        String wn = g.weight(name + "_w", w, new long[] {1, 4 * h, din}, 1, precision);
        String rn = g.weight(name + "_r", r, new long[] {1, 4 * h, h}, 1, precision);
        String bn = g.initializer(name + "_b", b, 1, 8 * h);
        String y = name + "_y";
        String yh = name + "_yh";
        g.node(
                "LSTM",
                name,
                List.of(x, wn, rn, bn),
                List.of(sequence ? y : "", sequence ? "" : yh),
                OnnxGraphWriter.intAttr("hidden_size", h));
        return sequence ? y : yh;
    }

    @Override
    public float[] parameters() {
        return params;
    }

    @Override
    public LstmNetwork withParameters(float[] p) {
        return new LstmNetwork(shape, p);
    }

    /** Activations of one LSTM layer over a window. */
    static final class LayerState {
        final int h;
        /** Gate activations i, f, g, o per frame: [T][4H]. */
        final float[] gates;

        final float[] c;
        final float[] tanhC;
        final float[] out;
        final float[] dz;
        final float[] dhNext;
        final float[] dcNext;

        LayerState(int t, int h) {
            this.h = h;
            gates = new float[t * 4 * h];
            c = new float[t * h];
            tanhC = new float[t * h];
            out = new float[t * h];
            dz = new float[4 * h];
            dhNext = new float[h];
            dcNext = new float[h];
        }
    }

    /** Scratch for one window. Not thread-safe. */
    public static final class Workspace implements Scratch {
        final LayerState l1;
        final LayerState l2;
        final float[] a3;
        final float[] r3;
        final float[] mask;
        final float[] prob;
        final float[] dlog;
        final float[] dr3;
        final float[] dh2;
        final float[] dh1;

        Workspace(NetworkShape s) {
            int t = s.frames();
            l1 = new LayerState(t, s.hidden1());
            l2 = new LayerState(t, s.hidden2());
            a3 = new float[s.hidden1()];
            r3 = new float[s.hidden1()];
            mask = new float[s.hidden1()];
            prob = new float[s.classes()];
            dlog = new float[s.classes()];
            dr3 = new float[s.hidden1()];
            dh2 = new float[t * s.hidden2()];
            dh1 = new float[t * s.hidden1()];
        }

        @Override
        public float[] probabilities() {
            return prob;
        }
    }

    @Override
    public Workspace newScratch() {
        return new Workspace(shape);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + StrictMath.exp(-x)));
    }

    /** Runs one LSTM layer over {@code x} ([T][din] at {@code xo}). */
    private void layerForward(float[] x, int xo, int din, int oWx, int oWh, int oB, LayerState s) {
        int t = shape.frames();
        int h = s.h;
        int g4 = 4 * h;
        float[] z = s.dz; // scratch for the pre-activations
        for (int f = 0; f < t; f++) {
            System.arraycopy(params, oB, z, 0, g4);
            int xf = xo + f * din;
            for (int i = 0; i < din; i++) {
                float v = x[xf + i];
                if (v != 0f) {
                    FloatMath.axpy(v, params, oWx + i * g4, z, 0, g4);
                }
            }
            if (f > 0) {
                int hp = (f - 1) * h;
                for (int j = 0; j < h; j++) {
                    float v = s.out[hp + j];
                    if (v != 0f) {
                        FloatMath.axpy(v, params, oWh + j * g4, z, 0, g4);
                    }
                }
            }
            int go = f * g4;
            for (int j = 0; j < h; j++) {
                float ig = sigmoid(z[j]);
                float fg = sigmoid(z[h + j]);
                float gg = (float) StrictMath.tanh(z[2 * h + j]);
                float og = sigmoid(z[3 * h + j]);
                s.gates[go + j] = ig;
                s.gates[go + h + j] = fg;
                s.gates[go + 2 * h + j] = gg;
                s.gates[go + 3 * h + j] = og;
                float cPrev = f > 0 ? s.c[(f - 1) * h + j] : 0f;
                float c = fg * cPrev + ig * gg;
                float tc = (float) StrictMath.tanh(c);
                s.c[f * h + j] = c;
                s.tanhC[f * h + j] = tc;
                s.out[f * h + j] = og * tc;
            }
        }
    }

    @Override
    public void forward(float[] u, int off, Scratch scratch, float dropout, Random rng) {
        Workspace ws = (Workspace) scratch;
        int t = shape.frames();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        layerForward(u, off, shape.inputSize(), oWx1, oWh1, oB1, ws.l1);
        layerForward(ws.l1.out, 0, h1, oWx2, oWh2, oB2, ws.l2);
        int last = (t - 1) * h2;
        System.arraycopy(params, oB3, ws.a3, 0, h1);
        for (int i = 0; i < h2; i++) {
            float v = ws.l2.out[last + i];
            if (v != 0f) {
                FloatMath.axpy(v, params, oW3 + i * h1, ws.a3, 0, h1);
            }
        }
        float keep = 1f - dropout;
        for (int j = 0; j < h1; j++) {
            ws.mask[j] = dropout > 0f ? (rng.nextFloat() < keep ? 1f / keep : 0f) : 1f;
            ws.r3[j] = Math.max(ws.a3[j], 0f) * ws.mask[j];
        }
        float[] logits = ws.dlog;
        System.arraycopy(params, oB4, logits, 0, c);
        for (int j = 0; j < h1; j++) {
            float v = ws.r3[j];
            if (v != 0f) {
                FloatMath.axpy(v, params, oW4 + j * c, logits, 0, c);
            }
        }
        FloatMath.softmax(logits, ws.prob);
    }

    @Override
    public double loss(Scratch s, int label, float smoothing) {
        return SequenceNetwork.crossEntropy(((Workspace) s).prob, label, smoothing);
    }

    /**
     * Back-propagation through time for one layer: {@code dh} ([T][H]) holds the loss gradient reaching each
     * output from above; adds the weight gradients to {@code grad} and, when {@code dx} is non-null, writes the
     * gradient of the layer's input there.
     */
    private void layerBackward(
            float[] x, int xo, int din, int oWx, int oWh, int oB, LayerState s, float[] dh, float[] dx, float[] grad) {
        int t = shape.frames();
        int h = s.h;
        int g4 = 4 * h;
        Arrays.fill(s.dhNext, 0f);
        Arrays.fill(s.dcNext, 0f);
        float[] dz = s.dz;
        for (int f = t - 1; f >= 0; f--) {
            int go = f * g4;
            for (int j = 0; j < h; j++) {
                float d = dh[f * h + j] + s.dhNext[j];
                float ig = s.gates[go + j];
                float fg = s.gates[go + h + j];
                float gg = s.gates[go + 2 * h + j];
                float og = s.gates[go + 3 * h + j];
                float tc = s.tanhC[f * h + j];
                float dc = d * og * (1 - tc * tc) + s.dcNext[j];
                float cPrev = f > 0 ? s.c[(f - 1) * h + j] : 0f;
                dz[j] = dc * gg * ig * (1 - ig);
                dz[h + j] = dc * cPrev * fg * (1 - fg);
                dz[2 * h + j] = dc * ig * (1 - gg * gg);
                dz[3 * h + j] = d * tc * og * (1 - og);
                s.dcNext[j] = dc * fg;
            }
            FloatMath.axpy(1f, dz, 0, grad, oB, g4);
            int xf = xo + f * din;
            for (int i = 0; i < din; i++) {
                float v = x[xf + i];
                if (v != 0f) {
                    FloatMath.axpy(v, dz, 0, grad, oWx + i * g4, g4);
                }
                if (dx != null) {
                    dx[f * din + i] = FloatMath.dot(params, oWx + i * g4, dz, 0, g4);
                }
            }
            for (int j = 0; j < h; j++) {
                if (f > 0) {
                    float v = s.out[(f - 1) * h + j];
                    if (v != 0f) {
                        FloatMath.axpy(v, dz, 0, grad, oWh + j * g4, g4);
                    }
                }
                s.dhNext[j] = FloatMath.dot(params, oWh + j * g4, dz, 0, g4);
            }
        }
    }

    @Override
    public void backward(float[] u, int off, Scratch scratch, int label, float smoothing, float[] grad) {
        Workspace ws = (Workspace) scratch;
        int t = shape.frames();
        int h1 = shape.hidden1();
        int h2 = shape.hidden2();
        int c = shape.classes();
        float[] dlog = ws.dlog;
        for (int k = 0; k < c; k++) {
            dlog[k] = ws.prob[k] - ((k == label ? 1 - smoothing : 0) + smoothing / c);
        }
        FloatMath.axpy(1f, dlog, 0, grad, oB4, c);
        for (int j = 0; j < h1; j++) {
            float v = ws.r3[j];
            if (v != 0f) {
                FloatMath.axpy(v, dlog, 0, grad, oW4 + j * c, c);
            }
            float d = FloatMath.dot(params, oW4 + j * c, dlog, 0, c) * ws.mask[j];
            ws.dr3[j] = ws.a3[j] > 0f ? d : 0f;
        }
        FloatMath.axpy(1f, ws.dr3, 0, grad, oB3, h1);
        Arrays.fill(ws.dh2, 0f);
        int last = (t - 1) * h2;
        for (int i = 0; i < h2; i++) {
            float v = ws.l2.out[last + i];
            if (v != 0f) {
                FloatMath.axpy(v, ws.dr3, 0, grad, oW3 + i * h1, h1);
            }
            ws.dh2[last + i] = FloatMath.dot(params, oW3 + i * h1, ws.dr3, 0, h1);
        }
        layerBackward(ws.l1.out, 0, h1, oWx2, oWh2, oB2, ws.l2, ws.dh2, ws.dh1, grad);
        layerBackward(u, off, shape.inputSize(), oWx1, oWh1, oB1, ws.l1, ws.dh1, null, grad);
    }
}

package io.github.kslr.onnx.writer;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.util.Random;

/**
 * The weights of one forward LSTM layer in ONNX's layout and gate order.
 *
 * <p>ONNX layout (operator {@code LSTM}, one direction): {@code W} is {@code [4H, inputSize]}, {@code R} is
 * {@code [4H, H]}, {@code Wb} and {@code Rb} are {@code [4H]}, gates stacked in the order input, output, forget,
 * cell ({@code iofc}). With sigmoid gates and tanh cell/hidden activations:
 * <pre>
 *   i = σ(W_i·x + R_i·h + Wb_i + Rb_i)    o = σ(W_o·x + R_o·h + Wb_o + Rb_o)
 *   f = σ(W_f·x + R_f·h + Wb_f + Rb_f)    g = tanh(W_c·x + R_c·h + Wb_c + Rb_c)
 *   c' = f ⊙ c + i ⊙ g                     h' = o ⊙ tanh(c')
 * </pre>
 * {@link #fromKeras} converts Keras' {@code kernel [in, 4H]}, {@code recurrent_kernel [H, 4H]} and {@code bias [4H]}
 * (gate order i, f, c, o) to this layout.
 *
 * <p><b>Thread-safety.</b> Immutable: arrays are copied in and out.
 */
public final class LstmWeights {
    /** Keras' gate position for each ONNX gate (ONNX i, o, f, c = Keras 0, 3, 1, 2). */
    private static final int[] KERAS_GATE = {0, 3, 1, 2};

    private final int inputSize;
    private final int hiddenSize;
    private final float[] w;
    private final float[] r;
    private final float[] wb;
    private final float[] rb;

    private LstmWeights(int inputSize, int hiddenSize, float[] w, float[] r, float[] wb, float[] rb) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.w = w;
        this.r = r;
        this.wb = wb;
        this.rb = rb;
    }

    /**
     * Weights in ONNX layout (see the class comment); arrays are copied.
     *
     * @throws InvalidInputException for wrong sizes or non-finite values
     */
    public static LstmWeights of(int inputSize, int hiddenSize, float[] w, float[] r, float[] wb, float[] rb) {
        Checks.positive(inputSize, "inputSize");
        Checks.positive(hiddenSize, "hiddenSize");
        int g = 4 * hiddenSize;
        check(w, g * inputSize, "W");
        check(r, g * hiddenSize, "R");
        check(wb, g, "Wb");
        check(rb, g, "Rb");
        return new LstmWeights(inputSize, hiddenSize, w.clone(), r.clone(), wb.clone(), rb.clone());
    }

    /**
     * Converts Keras weights ({@code LSTM.get_weights()}): kernel {@code [inputSize, 4H]}, recurrent kernel
     * {@code [H, 4H]}, bias {@code [4H]}, all row-major with gates i, f, c, o. Keras' single bias becomes
     * {@code Wb}; {@code Rb} is zero.
     */
    public static LstmWeights fromKeras(
            int inputSize, int hiddenSize, float[] kernel, float[] recurrentKernel, float[] bias) {
        Checks.positive(inputSize, "inputSize");
        Checks.positive(hiddenSize, "hiddenSize");
        int h = hiddenSize;
        int g = 4 * h;
        check(kernel, inputSize * g, "kernel");
        check(recurrentKernel, h * g, "recurrentKernel");
        check(bias, g, "bias");
        float[] w = new float[g * inputSize];
        float[] r = new float[g * h];
        float[] wb = new float[g];
        for (int gate = 0; gate < 4; gate++) {
            int kg = KERAS_GATE[gate];
            for (int j = 0; j < h; j++) {
                int row = gate * h + j;
                int col = kg * h + j;
                for (int k = 0; k < inputSize; k++) {
                    w[row * inputSize + k] = kernel[k * g + col];
                }
                for (int k = 0; k < h; k++) {
                    r[row * h + k] = recurrentKernel[k * g + col];
                }
                wb[row] = bias[col];
            }
        }
        return new LstmWeights(inputSize, hiddenSize, w, r, wb, new float[g]);
    }

    /**
     * Random weights, uniform in {@code ±1/sqrt(hiddenSize)} (PyTorch's LSTM initialisation), for tests and
     * benchmarks. The same seed gives the same weights.
     */
    public static LstmWeights random(int inputSize, int hiddenSize, Random random) {
        Checks.positive(inputSize, "inputSize");
        Checks.positive(hiddenSize, "hiddenSize");
        Checks.notNull(random, "random");
        float a = (float) (1 / Math.sqrt(hiddenSize));
        int g = 4 * hiddenSize;
        return new LstmWeights(
                inputSize,
                hiddenSize,
                uniform(random, g * inputSize, a),
                uniform(random, g * hiddenSize, a),
                uniform(random, g, a),
                uniform(random, g, a));
    }

    static float[] uniform(Random random, int n, float a) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * a;
        }
        return v;
    }

    static void check(float[] values, int expected, String name) {
        Checks.length(values, expected, name);
        Checks.finite(values, 0, values.length, name);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@code W [4H, inputSize]}, gates iofc (a copy). */
    public float[] w() {
        return w.clone();
    }

    /** {@code R [4H, H]}, gates iofc (a copy). */
    public float[] r() {
        return r.clone();
    }

    /** {@code Wb [4H]} (a copy). */
    public float[] wb() {
        return wb.clone();
    }

    /** {@code Rb [4H]} (a copy). */
    public float[] rb() {
        return rb.clone();
    }

    /** ONNX's {@code B [8H]}: Wb then Rb. */
    float[] onnxBias() {
        float[] b = new float[wb.length * 2];
        System.arraycopy(wb, 0, b, 0, wb.length);
        System.arraycopy(rb, 0, b, wb.length, rb.length);
        return b;
    }

    float[] rawW() {
        return w;
    }

    float[] rawR() {
        return r;
    }

    @Override
    public String toString() {
        return "LstmWeights[" + inputSize + " -> " + hiddenSize + "]";
    }
}

package io.github.kslr.onnx.writer;

import io.github.kslr.api.Checks;
import java.util.Random;

/**
 * The weights of one fully connected layer, {@code y = x · kernel + bias}, in Keras' layout: kernel
 * {@code [inputSize, outputSize]} row-major, bias {@code [outputSize]}.
 *
 * <p><b>Thread-safety.</b> Immutable: arrays are copied in and out.
 */
public final class DenseWeights {
    private final int inputSize;
    private final int outputSize;
    private final float[] kernel;
    private final float[] bias;

    private DenseWeights(int inputSize, int outputSize, float[] kernel, float[] bias) {
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.kernel = kernel;
        this.bias = bias;
    }

    /** Weights from arrays (copied). */
    public static DenseWeights of(int inputSize, int outputSize, float[] kernel, float[] bias) {
        Checks.positive(inputSize, "inputSize");
        Checks.positive(outputSize, "outputSize");
        LstmWeights.check(kernel, inputSize * outputSize, "kernel");
        LstmWeights.check(bias, outputSize, "bias");
        return new DenseWeights(inputSize, outputSize, kernel.clone(), bias.clone());
    }

    /** Glorot-uniform kernel (Keras' default) and a small uniform bias, for tests and benchmarks. */
    public static DenseWeights random(int inputSize, int outputSize, Random random) {
        Checks.positive(inputSize, "inputSize");
        Checks.positive(outputSize, "outputSize");
        Checks.notNull(random, "random");
        float a = (float) Math.sqrt(6.0 / (inputSize + outputSize));
        return new DenseWeights(
                inputSize,
                outputSize,
                LstmWeights.uniform(random, inputSize * outputSize, a),
                LstmWeights.uniform(random, outputSize, 0.1f));
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return outputSize;
    }

    /** {@code [inputSize, outputSize]} (a copy). */
    public float[] kernel() {
        return kernel.clone();
    }

    /** {@code [outputSize]} (a copy). */
    public float[] bias() {
        return bias.clone();
    }

    float[] rawKernel() {
        return kernel;
    }

    float[] rawBias() {
        return bias;
    }

    @Override
    public String toString() {
        return "DenseWeights[" + inputSize + " -> " + outputSize + "]";
    }
}

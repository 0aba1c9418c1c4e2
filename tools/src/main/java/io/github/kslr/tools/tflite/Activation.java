package io.github.kslr.tools.tflite;

import java.util.List;

/**
 * TFLite's {@code ActivationFunctionType} (schema.fbs): the activation fused into an operator's output, and its one
 * ONNX lowering ({@link #lower}), used both for fused activations and for the standalone RELU / RELU6 / RELU_N1_TO_1
 * operators.
 */
enum Activation {
    NONE(0),
    RELU(1),
    RELU_N1_TO_1(2),
    RELU6(3),
    TANH(4),
    SIGN_BIT(5);

    private final int code;

    Activation(int code) {
        this.code = code;
    }

    /** The value stored in TFLite files. */
    int code() {
        return code;
    }

    /**
     * The activation stored as {@code code}.
     *
     * @throws UnsupportedOperationException when {@code code} is not a TFLite activation
     */
    static Activation of(int code) {
        for (Activation a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw unsupported(code);
    }

    /** Writes the ONNX node(s) that apply this activation to {@code in}, producing {@code out}. */
    void lower(Conversion c, String in, String out) {
        switch (this) {
            case RELU -> c.node("Relu", List.of(in), out);
            case RELU_N1_TO_1 -> c.node("Clip", List.of(in, c.scalar(-1f), c.scalar(1f)), out);
            case RELU6 -> c.node("Clip", List.of(in, c.scalar(0f), c.scalar(6f)), out);
            // Fused TANH / SIGN_BIT: TFLite's conv/pool/arithmetic kernels do not apply them (measured: LiteRT's
            // CONV_2D output with fused TANH is the linear output), so they are rejected rather than guessed.
            default -> throw unsupported(code);
        }
    }

    private static UnsupportedOperationException unsupported(int code) {
        return new UnsupportedOperationException(
                "fused activation " + code + " (only NONE, RELU, RELU_N1_TO_1, RELU6 are supported)");
    }
}

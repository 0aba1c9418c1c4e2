package io.github.kslr.tools.tflite;

/** TFLite's {@code Padding} (schema.fbs) of convolutions and pools, and the explicit ONNX pads it means. */
enum Padding {
    SAME(0),
    VALID(1);

    private final int code;

    Padding(int code) {
        this.code = code;
    }

    /** The value stored in TFLite files. */
    int code() {
        return code;
    }

    /**
     * The padding stored as {@code code}.
     *
     * @throws UnsupportedOperationException when {@code code} is not a TFLite padding
     */
    static Padding of(int code) {
        for (Padding p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new UnsupportedOperationException("padding " + code + " (only SAME and VALID exist)");
    }

    /**
     * Pads {begin, end} of one spatial axis: SAME pads (total) split with the extra cell at the end, as TFLite does;
     * VALID pads nothing. Checks that TFLite's output size {@code out} is the one this padding gives.
     */
    int[] pads(int in, int kernel, int stride, int dilation, int out) {
        int effective = (kernel - 1) * dilation + 1;
        if (stride <= 0) {
            throw new IllegalArgumentException("stride " + stride);
        }
        if (this == VALID) {
            int expected = (in - effective + stride) / stride;
            if (expected != out) {
                throw new IllegalArgumentException("VALID output " + out + " != expected " + expected);
            }
            return new int[] {0, 0};
        }
        int expected = (in + stride - 1) / stride;
        if (expected != out) {
            throw new IllegalArgumentException("SAME output " + out + " != expected " + expected);
        }
        int total = Math.max((out - 1) * stride + effective - in, 0);
        return new int[] {total / 2, total - total / 2};
    }
}

package io.github.kslr.tools.tflite;

import java.util.HashMap;
import java.util.Map;

/**
 * TFLite builtin operators by name, with their codes from TensorFlow's {@code tensorflow/lite/schema/schema.fbs}
 * ({@code enum BuiltinOperator}). Lists the operators the converter maps (see {@link OperatorConverters}) and a few
 * more that MediaPipe-style models may contain, so that an unsupported one is named in the error.
 */
enum BuiltinOperator {
    ADD(0),
    AVERAGE_POOL_2D(1),
    CONCATENATION(2),
    CONV_2D(3),
    DEPTHWISE_CONV_2D(4),
    DEPTH_TO_SPACE(5),
    DEQUANTIZE(6),
    FULLY_CONNECTED(9),
    LOGISTIC(14),
    MAX_POOL_2D(17),
    MUL(18),
    RELU(19),
    RELU_N1_TO_1(20),
    RELU6(21),
    RESHAPE(22),
    RESIZE_BILINEAR(23),
    SOFTMAX(25),
    TANH(28),
    CUSTOM(32),
    PAD(34),
    TRANSPOSE(39),
    MEAN(40),
    SUB(41),
    DIV(42),
    SQUEEZE(43),
    STRIDED_SLICE(45),
    PRELU(54),
    PADV2(60),
    RESIZE_NEAREST_NEIGHBOR(97),
    DENSIFY(124);

    private static final Map<Integer, BuiltinOperator> BY_CODE = new HashMap<>();

    static {
        for (BuiltinOperator op : values()) {
            BY_CODE.put(op.code, op);
        }
    }

    private final int code;

    BuiltinOperator(int code) {
        this.code = code;
    }

    /** The operator's code in TFLite files ({@code OperatorCode.builtin_code}). */
    int code() {
        return code;
    }

    /** The operator with {@code code}, or null when this enum does not name it. */
    static BuiltinOperator of(int code) {
        return BY_CODE.get(code);
    }

    /** The name of {@code code}, or "BUILTIN_n" when this enum does not name it. */
    static String nameOf(int code) {
        BuiltinOperator op = of(code);
        return op == null ? "BUILTIN_" + code : op.name();
    }
}
